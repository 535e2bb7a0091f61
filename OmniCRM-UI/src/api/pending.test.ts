import { describe, expect, it } from "vitest";
import { isKnownSearchResult } from "./pending";

describe("isKnownSearchResult", () => {
  it("keeps the result types the UI can open and drops types other domains registered", () => {
    const hits = [
      { id: 1, type: "customer" },
      { id: 2, type: "staff_user" },
      { id: 3, type: "service" },
    ];
    expect(hits.filter(isKnownSearchResult).map((hit) => hit.id)).toEqual([1, 3]);
  });
});
