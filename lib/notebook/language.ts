// Chapter 00 (the Chinese edition): the notebook's language and its figures' text; the lookup
// lives beside the renderers in lib/timing (tested in test/timing/figure-text.test.ts).
export { figureText, type Language, notebookLanguage } from '../timing/figure-text';
