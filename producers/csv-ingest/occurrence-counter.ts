/**
 * Counts how often each sale content key has been seen in a file, to number
 * identical rows. Keys are kept as 64-bit fingerprints in an open-addressing
 * table (16 bytes a row), so a 2-million-row file costs tens of MB, not hundreds.
 */
export class OccurrenceCounter {
  private high = new Uint32Array(1 << 12);
  private low = new Uint32Array(1 << 12);
  private size = 0;
  private readonly repeats = new Map<string, number>();

  /** Records one more sighting of `hexKey` and returns how many came before it. */
  next(hexKey: string): number {
    // Fingerprint 0/0 marks an empty slot, so force a bit on.
    const hi = parseInt(hexKey.slice(0, 8), 16) >>> 0;
    const lo = (parseInt(hexKey.slice(8, 16), 16) | 1) >>> 0;
    if (this.seen(hi, lo)) {
      const fingerprint = hexKey.slice(0, 16);
      const count = (this.repeats.get(fingerprint) ?? 0) + 1;
      this.repeats.set(fingerprint, count);
      return count;
    }
    this.insert(hi, lo);
    return 0;
  }

  private seen(hi: number, lo: number): boolean {
    const mask = this.high.length - 1;
    for (let slot = (hi ^ lo) & mask; ; slot = (slot + 1) & mask) {
      if (this.low[slot] === 0) return false;
      if (this.high[slot] === hi && this.low[slot] === lo) return true;
    }
  }

  private insert(hi: number, lo: number): void {
    if ((this.size + 1) * 2 > this.high.length) this.grow();
    const mask = this.high.length - 1;
    let slot = (hi ^ lo) & mask;
    while (this.low[slot] !== 0) slot = (slot + 1) & mask;
    this.high[slot] = hi;
    this.low[slot] = lo;
    this.size++;
  }

  private grow(): void {
    const oldHigh = this.high;
    const oldLow = this.low;
    this.high = new Uint32Array(oldHigh.length * 2);
    this.low = new Uint32Array(oldLow.length * 2);
    this.size = 0;
    for (let slot = 0; slot < oldHigh.length; slot++) {
      if (oldLow[slot] !== 0) this.insert(oldHigh[slot] ?? 0, oldLow[slot] ?? 0);
    }
  }
}
