// The chart's uPlot adapter, without a page: plain settings in, uPlot options out. No element is
// made and the DOM is not touched (uPlot's module is imported for its rangeNum only).
import { expect } from '@open-wc/testing';
import uPlot from 'uplot';
import {
  chartOptions,
  latest,
  lonePoints,
  PALETTE,
  seriesColours,
  seriesOptions,
  timeSpan,
  timeValues,
  yRange,
  type ChartSettings,
} from '../src/chart/options.js';
import { endRule, MAX_POINTS_RULE, rangeProblem, WINDOW_RULE } from '../src/chart/settings.js';
import { chartSummary, clip, notANumber, toNumber } from '../src/chart/values.js';

/** Settings as an element would pass them, with `overrides`. */
function settings(overrides: Partial<ChartSettings> = {}): ChartSettings {
  return {
    colours: PALETTE,
    formatNumber: (value) => value.toFixed(1),
    text: 'rgb(0, 0, 0)',
    grid: 'rgba(128, 128, 128, 0.25)',
    font: '12px sans-serif',
    width: 400,
    height: 210,
    range: [undefined, undefined],
    topic: 'home/temperature',
    labels: ['home/temperature'],
    formatTime: (ms, seconds) => `${seconds ? 's' : 'm'}@${ms}`,
    xRange: () => [100, 400],
    rangeNum: uPlot.rangeNum,
    ...overrides,
  };
}

// uPlot calls these with its instance first: the adapter's functions do not use it, except the y
// axis's size, which measures on the plot's canvas context.
const noPlot = undefined as unknown as uPlot;
type Range = (self: uPlot, min: number | null, max: number | null, scale: string) => uPlot.Range.MinMax;
const yScale = (options: uPlot.Options) => options.scales!.y.range as Range;
const axisValues = (options: uPlot.Options, i: number) =>
  options.axes![i].values as (self: uPlot, splits: number[], axis: number, space: number, incr: number) => string[];

describe('chart options (the uPlot adapter)', () => {
  it('shows a legend for wildcard filters only', () => {
    expect(chartOptions(settings({ topic: 'home/temperature' })).legend).to.deep.equal({ live: true, show: false });
    expect(chartOptions(settings({ topic: undefined })).legend!.show).to.equal(false);
    for (const topic of ['home/+/temperature', 'home/+room/temperature', 'home/#', '#'])
      expect(chartOptions(settings({ topic })).legend!.show, topic).to.equal(true);
  });

  it('makes one series per label after the x series, colours repeating after 8', () => {
    const labels = Array.from({ length: 10 }, (_, i) => `s${i}`);
    const options = chartOptions(settings({ labels }));
    expect(options.series).to.have.length(11);
    expect(options.series[0]).to.deep.equal({});
    const series = options.series.slice(1);
    expect(series.map((s) => s.label)).to.deep.equal(labels);
    expect(series.map((s) => s.stroke)).to.deep.equal([...PALETTE, PALETTE[0], PALETTE[1]]);
    // A series added later gets the colour of its place.
    expect(seriesOptions('late', 9, settings()).stroke).to.equal(PALETTE[1]);
    expect(seriesOptions('late', 2, settings({ colours: ['red', 'blue'] })).stroke).to.equal('red');
  });

  it('takes the colours set in CSS, else the palette', () => {
    const set: Record<string, string> = { '--mqtt-chart-color-2': 'rgb(4, 5, 6)' };
    const colours = seriesColours((name) => set[name] ?? '');
    expect(colours).to.have.length(8);
    expect(colours[0]).to.equal(PALETTE[0]);
    expect(colours[1]).to.equal('rgb(4, 5, 6)');
    expect(colours.slice(2)).to.deep.equal(PALETTE.slice(2));
  });

  it('fixes the ends of the y axis that are set, and follows the data otherwise', () => {
    const follows = yScale(chartOptions(settings()));
    const [low, high] = follows(noPlot, 12, 18, 'y');
    expect(low).to.be.at.most(12);
    expect(high).to.be.at.least(18);
    expect(yScale(chartOptions(settings({ range: [0, 40] })))(noPlot, 12, 18, 'y')).to.deep.equal([0, 40]);
    const [, withMax] = yScale(chartOptions(settings({ range: [0, undefined] })))(noPlot, 12, 18, 'y');
    expect(withMax).to.be.at.least(18);
    expect(yScale(chartOptions(settings({ range: [0, undefined] })))(noPlot, 12, 18, 'y')[0]).to.equal(0);
    const [withMin] = yScale(chartOptions(settings({ range: [undefined, 40] })))(noPlot, 12, 18, 'y');
    expect(withMin).to.be.at.most(12);
  });

  it('never gives the y axis an empty range', () => {
    const cases: [ChartSettings['range'], number | null, number | null][] = [
      [[undefined, undefined], 5, 5],
      [[undefined, undefined], 0, 0],
      [[undefined, undefined], null, null],
      [[10, undefined], 3, 5],
      [[undefined, -10], 3, 5],
      [[7, undefined], 7, 7],
    ];
    for (const [range, min, max] of cases) {
      const [low, high] = yRange(range, uPlot.rangeNum, min, max);
      expect(low, `${range} ${min}..${max}`).to.be.a('number');
      expect(high, `${range} ${min}..${max}`).to.be.above(low as number);
    }
  });

  it('spans the x axis as the element says, read at each draw', () => {
    let span: [number, number] = [1, 2];
    const range = chartOptions(settings({ xRange: () => span })).scales!.x.range as () => [number, number];
    expect(range()).to.deep.equal([1, 2]);
    span = [3, 4];
    expect(range()).to.deep.equal([3, 4]);
    expect(chartOptions(settings()).scales!.x.time).to.equal(true);
  });

  it('writes the time axis with the time formatter, with seconds while the span is short', () => {
    const values = axisValues(chartOptions(settings()), 0);
    expect(values(noPlot, [1000, 1060, 1120], 0, 100, 60)).to.deep.equal(['s@1000000', 's@1060000', 's@1120000']);
    expect(values(noPlot, [0, 600, 1200], 0, 100, 600)).to.deep.equal(['m@0', 'm@600000', 'm@1200000']);
    expect(timeValues([5], (ms, seconds) => `${ms}${seconds}`)).to.deep.equal(['5000false']);
  });

  it('writes values with the number formatter and the unit, on the axis and in the legend', () => {
    const look = settings({ formatNumber: (v) => `<${v}>`, unit: '°C' });
    expect(axisValues(chartOptions(look), 1)(noPlot, [1, 2.5], 1, 30, 1)).to.deep.equal(['<1> °C', '<2.5> °C']);
    type Value = (self: uPlot, v: number | null, series: number, at: number | null) => string;
    const value = seriesOptions('kitchen', 0, look).value as Value;
    const plot = {
      data: [
        [1, 2, 3, 4],
        [20, 21.5, undefined, null],
        [null, 7, undefined, undefined],
      ],
    } as unknown as uPlot;
    // Under the pointer: the value there.
    expect(value(plot, 21.5, 1, 1)).to.equal('<21.5> °C');
    expect(value(plot, null, 1, 3)).to.equal('–');
    // Else (no pointer over the plot): the series' latest value.
    expect(value(plot, null, 1, null)).to.equal('<21.5> °C');
    expect(value(plot, null, 2, null)).to.equal('<7> °C');
    expect(value({ data: [[], []] } as unknown as uPlot, null, 1, null)).to.equal('–');
    const noUnit = seriesOptions('kitchen', 0, settings()).value as Value;
    expect(noUnit(plot, 3, 1, 0)).to.equal('3.0');
    expect(latest([1, 2, null, undefined])).to.equal(2);
  });

  it('draws the points no line reaches as dots', () => {
    expect(lonePoints([5])).to.deep.equal([0]);
    expect(lonePoints([])).to.equal(null);
    expect(lonePoints([1, 2, 3])).to.equal(null);
    // `undefined`: a time of another series only, which the line spans.
    expect(lonePoints([undefined, 3, undefined])).to.deep.equal([1]);
    expect(lonePoints([1, undefined, 2])).to.equal(null);
    // `null`: a gap.
    expect(lonePoints([1, null, 2])).to.deep.equal([0, 2]);
    expect(lonePoints([1, 2, null, null, 3, undefined, null, 4, 5])).to.deep.equal([4]);
    const series = seriesOptions('kitchen', 0, settings());
    expect(series.points!.fill).to.equal(PALETTE[0]);
    type Filter = (self: uPlot, series: number, show: boolean, gaps: null) => number[] | null;
    const filter = series.points!.filter as Filter;
    expect(
      filter(
        {
          data: [
            [1, 2, 3],
            [null, 4, null],
          ],
        } as unknown as uPlot,
        1,
        false,
        null
      )
    ).to.deep.equal([1]);
  });

  it('sizes the y axis to its widest label, measured in its font', () => {
    const fonts: string[] = [];
    const ctx = {
      set font(font: string) {
        fonts.push(font);
      },
      measureText: (text: string) => ({ width: text.length * 10 }),
    };
    const size = chartOptions(settings({ font: '14px serif' })).axes![1].size as (
      self: uPlot,
      values: string[] | undefined
    ) => number;
    const plot = { ctx } as unknown as uPlot;
    expect(size(plot, ['1', '100', '10'])).to.equal(30 + 24);
    expect(fonts).to.deep.equal(['14px serif']);
    expect(size(plot, undefined)).to.equal(40);
  });

  it('passes the size, colours and font through', () => {
    const options = chartOptions(settings({ text: 'red', grid: 'blue', font: '9px mono', width: 321, height: 123 }));
    expect([options.width, options.height]).to.deep.equal([321, 123]);
    for (const axis of options.axes!) {
      expect(axis.stroke).to.equal('red');
      expect(axis.font).to.equal('9px mono');
      expect(axis.grid!.stroke).to.equal('blue');
      expect(axis.ticks!.stroke).to.equal('blue');
    }
  });

  it('spans a young chart from its first point (at least 20 s), then slides with the window', () => {
    const now = 1_000_000;
    expect(timeSpan(now, 300_000, undefined)).to.deep.equal([now - 300_000, now]);
    expect(timeSpan(now, 300_000, now - 5_000)).to.deep.equal([now - 20_000, now]);
    expect(timeSpan(now, 300_000, now - 60_000)).to.deep.equal([now - 60_000, now]);
    expect(timeSpan(now, 300_000, now - 900_000)).to.deep.equal([now - 300_000, now]);
    expect(timeSpan(now, 400, now - 300)).to.deep.equal([now - 400, now]);
  });
});

describe('chart values and settings', () => {
  it('draws numbers, numeric strings and booleans, nothing else', () => {
    expect([21.5, '3', ' 4 ', true, false].map(toNumber)).to.deep.equal([21.5, 3, 4, 1, 0]);
    for (const value of [NaN, Infinity, '', ' ', 'on fire', null, {}, [1]])
      expect(toNumber(value), String(value)).to.equal(undefined);
  });

  it('quotes and clips values in messages', () => {
    expect(clip('on fire')).to.equal('"on fire"');
    expect(clip('x'.repeat(100)))
      .to.have.length(60)
      .and.match(/\.\.\.$/);
    expect(notANumber('a/b', { a: 1 }).message)
      .to.contain('a/b')
      .and.contain('{"a":1}');
  });

  it('sums up the series for assistive technology', () => {
    const format = (v: number) => `${v} °C`;
    expect(chartSummary(undefined, [], format)).to.equal('Chart of no topic: no data yet');
    expect(
      chartSummary(
        'home/+room/t',
        [
          { label: 'kitchen', latest: 21.5 },
          { label: 'hall', latest: undefined },
        ],
        format
      )
    ).to.equal('Chart of home/+room/t, 2 series, latest: kitchen 21.5 °C; hall no recent value');
  });

  it('accepts the settings it should', () => {
    expect([300, 0.4].every(WINDOW_RULE.valid)).to.equal(true);
    expect([0, -1, NaN, Infinity].some(WINDOW_RULE.valid)).to.equal(false);
    expect([2, 1000, 100_000].every(MAX_POINTS_RULE.valid)).to.equal(true);
    expect([1, 2.5, 100_001, NaN].some(MAX_POINTS_RULE.valid)).to.equal(false);
    expect([-5, 0, 1e6].every(endRule('min').valid)).to.equal(true);
    expect(endRule('max').valid(NaN)).to.equal(false);
    expect(rangeProblem(0, 40)).to.equal(undefined);
    expect(rangeProblem(undefined, 40)).to.equal(undefined);
    expect(rangeProblem(5, 5)!.hint).to.contain('min smaller than max');
    expect(rangeProblem(10, 5)!.message).to.equal('min="10" is not below max="5".');
  });
});
