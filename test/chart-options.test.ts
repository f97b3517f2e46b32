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
  yRange,
  type ChartSettings,
} from '../src/chart/options.js';
import { endRule, MAX_POINTS_RULE, rangeProblem, WINDOW_RULE } from '../src/chart/settings.js';
import { distinct, TIME_INCRS, timeValues, valueIncrs } from '../src/chart/ticks.js';
import { numberFormat, timeFormat } from '../src/lib/intl.js';
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
    digits: undefined,
    range: [undefined, undefined],
    topic: 'home/temperature',
    labels: ['home/temperature'],
    formatTime: (ms, seconds) => `${seconds ? 's' : 'm'}@${ms}`,
    xRange: () => [100, 400],
    rangeNum: uPlot.rangeNum,
    zoom: () => {},
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

  it('writes the time axis with the time formatter, with seconds while ticks are less than a minute apart', () => {
    const values = axisValues(chartOptions(settings()), 0);
    expect(values(noPlot, [1000, 1030, 1060], 0, 100, 30)).to.deep.equal(['s@1000000', 's@1030000', 's@1060000']);
    expect(values(noPlot, [960, 1020, 1080], 0, 100, 60)).to.deep.equal(['m@960000', 'm@1020000', 'm@1080000']);
    expect(values(noPlot, [0, 600, 1200], 0, 100, 600)).to.deep.equal(['m@0', 'm@600000', 'm@1200000']);
    expect(timeValues([5], 1, (ms, seconds) => `${ms}${seconds}`)).to.deep.equal(['5000true']);
  });

  it('never writes the same time twice on the time axis, whatever the span', () => {
    // Ticks 30 s apart over 200 s (a wide chart): minutes alone would repeat ("8:10 PM, 8:10 PM").
    const options = chartOptions(
      settings({ formatTime: (ms, s) => timeFormat('en-US', s ? 'seconds' : 'minutes').format(ms) })
    );
    const values = axisValues(options, 0);
    const start = Date.UTC(2024, 0, 1, 20, 10) / 1000;
    for (const incr of [1, 5, 10, 15, 30, 60, 300, 3600]) {
      const splits = Array.from({ length: 8 }, (_, i) => start + i * incr);
      const labels = values(noPlot, splits, 0, 100, incr);
      expect(new Set(labels).size, `${incr} s apart: ${labels}`).to.equal(labels.length);
    }
    // No tick is finer than a second, the finest a label writes.
    expect(options.axes![0].incrs).to.equal(TIME_INCRS);
    expect(Math.min(...TIME_INCRS)).to.equal(1);
  });

  it('never writes the same value twice on the y axis: ticks are no finer than digits', () => {
    for (const digits of [0, 1, 2, undefined]) {
      const step = 10 ** -(digits ?? 6);
      const incrs = valueIncrs(digits);
      expect(incrs[0], `digits ${digits}`).to.be.closeTo(step, step / 1e6);
      for (const incr of incrs) expect(Math.abs(incr / step - Math.round(incr / step)), `${incr}`).to.be.below(1e-6);
    }
    expect(valueIncrs(1).slice(0, 7)).to.deep.equal([0.1, 0.2, 0.5, 1, 2, 2.5, 5]);
    const options = chartOptions(settings({ digits: 1, formatNumber: (v) => numberFormat('en-US', 1).format(v) }));
    expect(options.axes![1].incrs).to.deep.equal(valueIncrs(1));
    // A repeated label is left out all the same.
    expect(axisValues(options, 1)(noPlot, [22.7, 22.72, 22.8], 1, 30, 0.02)).to.deep.equal(['22.7', null, '22.8']);
    expect(distinct(['a', 'b', 'a'])).to.deep.equal(['a', 'b', null]);
  });

  it('gives a y axis that follows the data at least two ticks of digits', () => {
    const [low, high] = yScale(chartOptions(settings({ digits: 1 })))(noPlot, 22.7, 22.72, 'y') as [number, number];
    expect(high - low).to.be.at.least(0.2);
    expect(low).to.be.at.most(22.7);
    expect(high).to.be.at.least(22.72);
    expect(
      yScale(chartOptions(settings({ digits: 1, range: [22.7, undefined] })))(noPlot, 22.7, 22.72, 'y')[0]
    ).to.equal(22.7);
    expect(yScale(chartOptions(settings({ digits: 1, range: [0, 40] })))(noPlot, 22.7, 22.72, 'y')).to.deep.equal([
      0, 40,
    ]);
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

  it('draws the points no line reaches as dots, and breaks lines at gaps only', () => {
    expect(lonePoints([5])).to.deep.equal([0]);
    expect(lonePoints([])).to.equal(null);
    expect(lonePoints([1, 2, 3])).to.equal(null);
    // `undefined`: a time of another series only, which the line spans.
    expect(lonePoints([undefined, 3, undefined])).to.deep.equal([1]);
    expect(lonePoints([1, undefined, 2])).to.equal(null);
    // `null`: a gap (the connection was lost).
    expect(lonePoints([1, null, 2])).to.deep.equal([0, 2]);
    expect(lonePoints([1, 2, null, null, 3, undefined, null, 4, 5])).to.deep.equal([4]);
    const series = seriesOptions('kitchen', 0, settings());
    expect(series.spanGaps).to.equal(false);
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

  it('spans an empty or young chart 20 s, or from its first point, then slides with the window', () => {
    const now = 1_000_000;
    expect(timeSpan(now, 300_000, undefined)).to.deep.equal([now - 20_000, now]);
    expect(timeSpan(now, 5_000, undefined)).to.deep.equal([now - 5_000, now]);
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
