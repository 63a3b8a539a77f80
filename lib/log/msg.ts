// Chapter 16: the service log, as twisted.python.log's msg and observers: a service writes lines
// without knowing where they go, and the program (twistd) decides where (tested in
// test/log/msg.test.ts).

/** Receives each logged line (twistd's observer writes it to the log file with a time stamp). */
export type LogObserver = (line: string) => void;

const observers = new Set<LogObserver>();

/** Logs one line: every observer gets it; with none, it goes nowhere. As Twisted's `log.msg`. */
export function msg(line: string): void {
  for (const observer of [...observers]) observer(line);
}

/** Whether any observer listens: a caller may skip building a line that nobody would read. */
export function isLogging(): boolean {
  return observers.size > 0;
}

/** Adds an observer. @returns a function that removes it again. */
export function addObserver(observer: LogObserver): () => void {
  observers.add(observer);
  return () => removeObserver(observer);
}

/** Removes an observer added with `addObserver` (no error if it is not there). */
export function removeObserver(observer: LogObserver): void {
  observers.delete(observer);
}
