/**
 * Median stopping rule (Golovin et al. 2017, Google Vizier): a trial is stopped at step t when its
 * best score so far is worse than the median of the other trials' running-best scores at step t.
 * Applies once at least `minTrials` trials have reached step t, and never before `grace` steps.
 * Scores: lower is better.
 */
export class MedianStopper {
  private readonly curves = new Map<number, number[]>();

  constructor(
    private readonly minTrials = 3,
    private readonly grace = 2,
  ) {}

  /** Records a trial's score at a step; returns true when the trial should stop. */
  report(trial: number, step: number, score: number): boolean {
    const curve = this.curves.get(trial) ?? [];
    curve[step - 1] = Math.min(score, curve[step - 2] ?? Infinity);
    this.curves.set(trial, curve);
    if (step <= this.grace) return false;
    const others: number[] = [];
    for (const [id, c] of this.curves) if (id !== trial && c[step - 1] !== undefined) others.push(c[step - 1]!);
    if (others.length < this.minTrials) return false;
    others.sort((a, b) => a - b);
    const mid = others.length / 2;
    const median = others.length % 2 ? others[Math.floor(mid)]! : (others[mid - 1]! + others[mid]!) / 2;
    return curve[step - 1]! > median;
  }
}
