import { describe, expect, it } from "vitest";
import { escapeHtml, escapeText } from "../../src/report/html/escape.ts";

/** What each function must give, character by character. */
const HTML_ENTITY: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};
const byCharacter = (text: string, entities: Record<string, string>) =>
  [...text].map((c) => entities[c] ?? c).join("");
const TEXT_ENTITY = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

describe("HTML escaping", () => {
  // Short texts are tested with a regular expression, longer ones with indexOf (escape.ts): each
  // markup character at each place of texts on both sides of the switch, one-byte and two-byte.
  const fillers = ["a", "é", "😀"];
  const lengths = [0, 1, 2, 31, 32, 33, 100, 500];
  it("escapes every markup character, wherever it is, in texts of any length", () => {
    for (const filler of fillers) {
      for (const length of lengths) {
        const plain = filler.repeat(length);
        expect(escapeHtml(plain)).toBe(plain);
        expect(escapeText(plain)).toBe(plain);
        for (const markup of Object.keys(HTML_ENTITY)) {
          for (const at of new Set([0, Math.floor(length / 2), length])) {
            const text = plain.slice(0, at) + markup + plain.slice(at);
            expect(
              escapeHtml(text),
              `${JSON.stringify(markup)} at ${at} of ${length}`,
            ).toBe(byCharacter(text, HTML_ENTITY));
            expect(
              escapeText(text),
              `${JSON.stringify(markup)} at ${at} of ${length}`,
            ).toBe(byCharacter(text, TEXT_ENTITY));
          }
        }
      }
    }
  });

  it("escapes texts holding several markup characters", () => {
    const text = `{"a":"<b> & 'c' \\"d\\""}`.repeat(5);
    expect(escapeHtml(text)).toBe(byCharacter(text, HTML_ENTITY));
    expect(escapeText(text)).toBe(byCharacter(text, TEXT_ENTITY));
    expect(escapeHtml(text.slice(0, 20))).toBe(
      byCharacter(text.slice(0, 20), HTML_ENTITY),
    );
  });
});
