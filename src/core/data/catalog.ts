import type { SplitKind } from './split.ts';

/** A dataset shipped with the app (served from `public/datasets/`, precached for offline use). */
export interface CatalogEntry {
  /** File name under `datasets/`. */
  file: string;
  title: string;
  label: string;
  /** Columns that should not be features by default (ids, dates that leak, …). */
  ignore: readonly string[];
  split: SplitKind;
  timeColumn?: string;
  rows: number;
  description: string;
  source: string;
  license: string;
}

/**
 * The catalog, frozen: `keyof typeof CATALOG` is the union of ids.
 * Provenance as in `shared/datasets/README.md` and vega-datasets' `datapackage.json`.
 */
export const CATALOG = Object.freeze({
  'breast-cancer': {
    file: 'breast-cancer-wisconsin.csv',
    title: 'Breast cancer (Wisconsin diagnostic)',
    label: 'diagnosis',
    ignore: [],
    split: 'stratified',
    rows: 569,
    description: '30 numeric features of cell nuclei; benign 357 / malignant 212. Binary classification, calibration.',
    source: 'UCI Breast Cancer Wisconsin (Diagnostic), Wolberg, Street, Mangasarian (1995); as shipped by scikit-learn',
    license: 'CC BY 4.0',
  },
  digits: {
    file: 'digits-8x8.csv',
    title: 'Handwritten digits 8×8',
    label: 'digit',
    ignore: [],
    split: 'stratified',
    rows: 1797,
    description: '64 pixel intensities (0–16) of 8×8 images; digits 0–9, about 180 each. Multi-class MLP and CNN.',
    source:
      'UCI Optical Recognition of Handwritten Digits (test part), Alpaydin & Kaynak (1998); as shipped by scikit-learn',
    license: 'CC BY 4.0',
  },
  'german-credit': {
    file: 'german-credit.csv',
    title: 'German credit',
    label: 'class',
    ignore: [],
    split: 'stratified',
    rows: 1000,
    description:
      '7 numeric and 13 categorical attributes; good 700 / bad 300. Class imbalance, categorical encoding, ' +
      'fairness slices.',
    source: 'UCI Statlog (German Credit Data), Hofmann (1994); as shipped by Weka',
    license: 'CC BY 4.0',
  },
  wine: {
    file: 'wine.csv',
    title: 'Wine cultivars',
    label: 'cultivar',
    ignore: [],
    split: 'stratified',
    rows: 178,
    description: '13 chemical measurements; three cultivars. A quick multi-class demo.',
    source: 'UCI Wine, Aeberhard & Forina (1991); as shipped by scikit-learn',
    license: 'CC BY 4.0',
  },
  penguins: {
    file: 'penguins.json',
    title: 'Palmer penguins',
    label: 'Species',
    ignore: [],
    split: 'stratified',
    rows: 344,
    description:
      'Beak, flipper and body measurements, island and sex of 344 penguins of three species; has missing values.',
    source:
      "Palmer Station Antarctica LTER, Dr. Kristen Gorman; via Allison Horst's palmerpenguins and the " +
      'vega-datasets npm package',
    license: 'CC0 1.0',
  },
  'seattle-weather': {
    file: 'seattle-weather.csv',
    title: 'Seattle weather 2012–2015',
    label: 'weather',
    ignore: ['date'],
    split: 'time',
    timeColumn: 'date',
    rows: 1461,
    description:
      'Daily precipitation, temperatures and wind, with the weather type; ordered by date (time splits, drift).',
    source: 'NOAA National Climatic Data Center; via the vega-datasets npm package',
    license: 'U.S. Government work (public domain)',
  },
} as const satisfies Record<string, CatalogEntry>);

export type CatalogId = keyof typeof CATALOG;

/** The dataset the app opens on. */
export const DEFAULT_DATASET: CatalogId = 'digits';
