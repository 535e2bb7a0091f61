import { describe, expect, it } from "vitest";
import { en } from "./en";
import { enAdmin } from "./en.admin";

describe("administration messages", () => {
  it("are all in the dictionary, none overridden by another part of it", () => {
    for (const [key, text] of Object.entries(enAdmin)) expect(en[key as keyof typeof en]).toBe(text);
  });
});
