import { describe, expect, it } from "vitest";
import { fontFacesFor } from "./assets";

describe("fontFacesFor", () => {
  const files = {
    "../assets/fonts/Quicksand/Quicksand-400.woff2": "/assets/q400.woff2",
    "../assets/fonts/Quicksand/Quicksand-700.woff2": "/assets/q700.woff2",
    "../assets/fonts/Lato/Lato-400.woff2": "/assets/l400.woff2",
  };

  it("returns one face per weight of the configured family only", () => {
    expect(fontFacesFor("quicksand", files)).toEqual([
      { family: "quicksand", weight: 400, url: "/assets/q400.woff2" },
      { family: "quicksand", weight: 700, url: "/assets/q700.woff2" },
    ]);
  });

  it("returns nothing for the system font or a family without files", () => {
    expect(fontFacesFor(null, files)).toEqual([]);
    expect(fontFacesFor("Poppins", files)).toEqual([]);
  });
});
