// Where things go on the space-time diagram: a label gutter on the left, a time axis on top, one
// horizontal lane per node (time runs left to right), and a band of client rows at the bottom.
// Converts between time and x. Sizes adapt to the number of nodes.
// Leaves out: drawing.

export const GUTTER = 64;
export const AXIS = 24;
const CLIENT_ROW = 9;
const MAX_CLIENT_ROWS = 12;

export class Layout {
  readonly laneH: number;
  readonly clientRows: number;
  readonly clientTop: number;
  readonly height: number;

  constructor(readonly width: number, readonly nodes: number, clients: number, readonly t0: number, readonly t1: number) {
    this.laneH = nodes <= 5 ? 58 : nodes <= 9 ? 40 : Math.max(6, Math.floor(420 / nodes));
    this.clientRows = Math.min(clients, MAX_CLIENT_ROWS);
    this.clientTop = AXIS + nodes * this.laneH + 8;
    this.height = this.clientTop + (this.clientRows > 0 ? this.clientRows * CLIENT_ROW + 18 : 4);
  }

  static heightFor(nodes: number, clients: number): number {
    return new Layout(100, nodes, clients, 0, 1).height;
  }

  get plotWidth(): number {
    return Math.max(10, this.width - GUTTER - 12);
  }

  x(t: number): number {
    return GUTTER + ((t - this.t0) / (this.t1 - this.t0)) * this.plotWidth;
  }

  time(x: number): number {
    return this.t0 + ((x - GUTTER) / this.plotWidth) * (this.t1 - this.t0);
  }

  /** The centre line of a node's lane. */
  laneY(node: number): number {
    return AXIS + (node - 0.5) * this.laneH;
  }

  laneTop(node: number): number {
    return AXIS + (node - 1) * this.laneH;
  }

  /** The node whose lane holds y, or 0. */
  nodeAt(y: number): number {
    const n = Math.floor((y - AXIS) / this.laneH) + 1;
    return n >= 1 && n <= this.nodes ? n : 0;
  }

  clientY(client: number): number {
    return this.clientTop + 14 + ((client - 1) % Math.max(1, this.clientRows)) * CLIENT_ROW;
  }

  get lanesBottom(): number {
    return AXIS + this.nodes * this.laneH;
  }
}
