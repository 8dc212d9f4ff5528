import { describe, expect, it } from "vitest";
import { ChunkChain } from "../../src/report/html/chunk-chain.ts";

describe("ChunkChain", () => {
  it("gives each part's chunks in turn, parts empty or not, and then is done", () => {
    const chain = new ChunkChain([
      ["a", "b"],
      [],
      (function* () {
        yield "c";
      })(),
      [],
      ["d"],
    ]);
    expect([...chain]).toEqual(["a", "b", "c", "d"]);
    expect(chain.next()).toEqual({ done: true, value: undefined });
    expect([...new ChunkChain([])]).toEqual([]);
  });

  it("runs a part's code only when the parts before it are done", () => {
    const ran: string[] = [];
    const part = (name: string) =>
      (function* () {
        ran.push(name);
        yield name;
      })();
    const chain = new ChunkChain([part("head"), part("list"), part("foot")]);
    expect(ran).toEqual([]);
    expect(chain.next().value).toBe("head");
    expect(ran).toEqual(["head"]);
    expect(chain.next().value).toBe("list");
    expect(ran).toEqual(["head", "list"]);
  });

  it("hands on a part's own result objects", () => {
    const result = { done: false, value: "x" } as const;
    const part: Iterable<string> = {
      [Symbol.iterator]: () => ({
        next: (() => {
          let given = false;
          return () =>
            given
              ? { done: true as const, value: undefined }
              : ((given = true), result);
        })(),
      }),
    };
    expect(new ChunkChain([part]).next()).toBe(result);
  });
});
