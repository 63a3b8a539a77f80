// Helpers for the notebooks: rich output, lib source shown from the files, child programs.
export { showMarkdown, showSvg, showTable } from './display';
export { LIB, POETRY, poemPath, ROOT } from './paths';
export { type ProgramSpec, ProgramsStoppedError, type RunningProgram, runningPrograms, startPrograms, stopPrograms } from './programs';
export { showSource, sourceOf } from './show-source';
export { trimStack } from './stack';
export { type LogSummary, summarisedLog } from './log-summary';
export { idleCpuSeconds, turnSeconds } from './reactor-cost';
export { parseStack, renderStack, type StackFrame } from './stack-figure';
export { figureText, type Language, notebookLanguage } from './language';
