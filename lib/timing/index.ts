// Timing: elapsed-time format, stopwatch, timelines and their figures (chapters 01, 02), in the notebook's language.
export { formatElapsed } from './format-elapsed';
export { renderTimeline, type RenderOptions } from './render-timeline';
export { type Seconds, Stopwatch, wallSeconds } from './stopwatch';
export { type EntryKind, type EntryOptions, Timeline, type TimelineEntry } from './timeline';
export { figureText, type Language, notebookLanguage } from './figure-text';
