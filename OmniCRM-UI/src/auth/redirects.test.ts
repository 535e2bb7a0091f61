import { describe, expect, it } from "vitest";
import { safeNext } from "./redirects";

describe("safeNext", () => {
  it("returns to pages of this app only", () => {
    expect(safeNext("/customers/4?tab=contacts")).toBe("/customers/4?tab=contacts");
    expect(safeNext("//evil.example.com/x")).toBeNull();
    expect(safeNext("https://evil.example.com")).toBeNull();
    expect(safeNext(undefined)).toBeNull();
  });

  it("never loops back to the sign-in screens", () => {
    expect(safeNext("/login")).toBeNull();
    expect(safeNext("/login/2fa")).toBeNull();
    expect(safeNext("/change-password")).toBeNull();
  });
});
