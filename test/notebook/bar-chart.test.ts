import { describe, expect, it } from 'vitest';
import { renderBarChart } from '../../lib/notebook/bar-chart';

/** The bars' rects (the background rect has no `y`), as numbers. */
function rects(svg: string): Array<{ x: number; width: number }> {
  return [...svg.matchAll(/<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)"/g)].map((m) => ({ x: Number(m[1]), width: Number(m[2]) }));
}

/** The text of every <text> element. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<text [^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
}

describe('renderBarChart', () => {
  it('draws a well-formed SVG with one bar a value, lengths proportional on the linear scale', () => {
    const svg = renderBarChart([
      { label: 'a', value: 10 },
      { label: 'b', value: 40 },
      { label: 'c', value: 20 },
    ]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg.endsWith('</svg>')).toBe(true);
    const bars = rects(svg);
    expect(bars).toHaveLength(3);
    expect(new Set(bars.map((bar) => bar.x)).size).toBe(1);
    expect(bars[1].width / bars[0].width).toBeCloseTo(4, 2);
    expect(bars[2].width / bars[0].width).toBeCloseTo(2, 2);
    expect(svg).toContain('height="132"'); // 34 + 3 rows of 28 + 14
  });

  it('prints each label, and each value with its unit and note, and the title', () => {
    const svg = renderBarChart(
      [
        { label: 'Deferred 1M', value: 12.3456, note: '(goal < 100)' },
        { label: 'Promise 1M', value: 987.654 },
      ],
      { title: 'Chains', unit: ' ms' },
    );
    expect(texts(svg)).toEqual(['Chains', 'Deferred 1M', '12.3 ms (goal &#60; 100)', 'Promise 1M', '988 ms']);
    expect(svg).toContain('<title>Deferred 1M: 12.3 ms (goal &#60; 100)</title>');
  });

  it('uses the given format and colours, and escapes what it prints', () => {
    const svg = renderBarChart([{ label: '<a & b>', value: 2, color: 'red' }], { format: (v) => v.toFixed(2), unit: 'x' });
    expect(texts(svg)).toEqual(['&#60;a &#38; b&#62;', '2.00x']);
    expect(svg).toContain('fill="red"');
    expect(svg).not.toContain('<a & b>');
  });

  it('gives each power of ten the same length on the log scale', () => {
    const svg = renderBarChart(
      [
        { label: 'a', value: 1 },
        { label: 'b', value: 10 },
        { label: 'c', value: 100 },
        { label: 'd', value: 1000 },
      ],
      { scale: 'log' },
    );
    const [a, b, c, d] = rects(svg).map((bar) => bar.width);
    expect(a).toBe(1); // the floor itself: a sliver
    expect(c - b).toBeCloseTo(d - c, 0);
    expect(d / c).toBeCloseTo(1.5, 2);
  });

  it('starts the log scale at the power of ten below the smallest value', () => {
    const [small, large] = rects(renderBarChart([{ label: 'a', value: 3 }, { label: 'b', value: 30 }], { scale: 'log' })).map((bar) => bar.width);
    // From 1: log10(3) / log10(30) of the plot, and the whole plot.
    expect(small / large).toBeCloseTo(Math.log10(3) / Math.log10(30), 2);
  });

  it('draws a marker line at its value, on the same scale, with its label', () => {
    const svg = renderBarChart([{ label: 'speed-up', value: 10 }], { marker: 20, markerLabel: 'goal 20x' });
    const [bar] = rects(svg);
    const line = /<line x1="([\d.]+)" x2="[\d.]+" y1="34" [^>]*stroke-dasharray/.exec(svg);
    expect(line).not.toBeNull();
    // The marker is the maximum: the bar, at half of it, is half as long as the marker's distance.
    expect((Number(line?.[1]) - bar.x) / bar.width).toBeCloseTo(2, 2);
    expect(texts(svg)).toContain('goal 20x');
    // Its label goes below the bars, with room made for it (34 + 28 + 14 + 16).
    expect(svg).toContain('height="92"');
    expect(Number(/<text x="[\d.]+" y="([\d.]+)"[^>]*>goal 20x/.exec(svg)?.[1])).toBeGreaterThan(34 + 28);
  });

  it('gives every bar the whole length when all values are equal (or all zero)', () => {
    const widths = rects(renderBarChart([{ label: 'a', value: 0 }, { label: 'b', value: 0 }])).map((bar) => bar.width);
    expect(widths[0]).toBe(widths[1]);
    expect(widths[0]).toBeGreaterThan(1);
  });

  it('rejects bad input with a TypeError that says what it got', () => {
    expect(() => renderBarChart([])).toThrow('Expected `bars` to be a non-empty array, got `` (object)');
    expect(() => renderBarChart([{ label: 'a', value: -1 }])).toThrow('Expected `bars[0].value` to be a finite number >= 0, got `-1` (number)');
    expect(() => renderBarChart([{ label: 'a', value: Number.NaN }])).toThrow(TypeError);
    expect(() => renderBarChart([{ label: 'a', value: 1 }, { label: 'b', value: 0 }], { scale: 'log' })).toThrow(
      'Expected `bars[1].value` to be a finite number > 0 (log scale), got `0` (number)',
    );
    expect(() => renderBarChart([{ label: 'a', value: 1 }], { marker: -2 })).toThrow('Expected `marker` to be a finite number >= 0, got `-2` (number)');
    expect(() => renderBarChart([{ label: 'a', value: 1 }], { width: 100 })).toThrow('Expected `width` to leave room for the bars, got `100` (number)');
  });
});
