import uPlot from 'uplot';

/**
 * The uPlot instance of a `<mqtt-chart>`, in the element's `chart` part: made, fed with data,
 * fitted to the part's box (less the legend below the plot) and destroyed. The element decides what
 * to draw and when (at most once per frame); this is the part that touches uPlot and the DOM.
 */
export class ChartPlot {
  /** The plot, while there is one. */
  plot: uPlot | undefined;
  /** How many series the plot has (after its x series). */
  private plotted = 0;
  private resizer: ResizeObserver | undefined;
  /** The plot's size must be fitted to the box again. */
  private unfitted = true;

  constructor(
    /** The box the plot fills. */
    private readonly box: () => HTMLElement,
    /** Asks for a draw: the box or the legend changed size. */
    private readonly redraw: () => void
  ) {}

  /**
   * Draws `columns`: on a new plot made with `options()` when `rebuild` (or when there is none), else
   * on the plot there, after adding the series of `labels` it does not have yet (made by `series`).
   */
  draw(
    columns: uPlot.AlignedData,
    labels: readonly string[],
    rebuild: boolean,
    options: () => uPlot.Options,
    series: (label: string, index: number) => uPlot.Series
  ): void {
    if (rebuild || !this.plot) {
      this.plot?.destroy();
      // uPlot hands over its root element: into the box it goes.
      this.plot = new uPlot(options(), columns, (self, init) => {
        this.box().replaceChildren(self.root);
        init();
      });
      this.plotted = labels.length;
      this.unfitted = true;
      this.watchSize();
    } else {
      const plot = this.plot;
      plot.batch(() => {
        for (; this.plotted < labels.length; this.plotted++) {
          plot.addSeries(series(labels[this.plotted], this.plotted));
          // The legend may take another line.
          this.unfitted = true;
        }
        plot.setData(columns);
      });
    }
    if (this.unfitted) this.fit();
  }

  /** Destroys the plot and stops watching sizes (the element left the document). */
  destroy(): void {
    this.resizer?.disconnect();
    this.resizer = undefined;
    this.plot?.destroy();
    this.plot = undefined;
  }

  /**
   * Fits the plot again whenever the box or the legend (whose values may wrap onto another line)
   * changes size; from each new plot on.
   */
  private watchSize(): void {
    this.resizer ??= new ResizeObserver(() => {
      this.unfitted = true;
      this.redraw();
    });
    this.resizer.disconnect();
    this.resizer.observe(this.box());
    const legend = this.plot?.root.querySelector('.u-legend');
    if (legend) this.resizer.observe(legend);
  }

  /** Sizes the plot to the box, less the legend below it. */
  private fit(): void {
    const plot = this.plot;
    if (!plot) return;
    this.unfitted = false;
    const box = this.box();
    const legend = plot.root.querySelector<HTMLElement>('.u-legend')?.offsetHeight ?? 0;
    const width = Math.max(0, Math.floor(box.clientWidth));
    const height = Math.max(40, Math.floor(box.clientHeight - legend));
    if (width !== plot.width || height !== plot.height) plot.setSize({ width, height });
  }
}
