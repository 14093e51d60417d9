/** The interface's language (the agent's setting; before login the browser's) and its words. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { en } from './en';
import { ja, type Words } from './ja';

export type { Words };
export type Language = 'ja' | 'en';
export type Translate = (key: keyof Words, fill?: Record<string, string | number>) => string;

const dictionaries: Record<Language, Words> = { ja, en };

export type Fill = Record<string, string | number>;

/** A dictionary's words by key, with `{name}`-style blanks filled (a feature's own words too). */
export function translator<K extends string>(
  words: Record<K, string>,
): (key: K, fill?: Fill) => string {
  return (key, fill = {}) =>
    words[key].replace(/\{(\w+)\}/g, (_, name: string) => String(fill[name] ?? `{${name}}`));
}

/** The words of a language, with `{name}`-style blanks filled by `fill`. */
export function wordsOf(language: Language): Translate {
  return translator(dictionaries[language]);
}

/** The browser's language when nobody has chosen: Japanese unless it asks for English. */
export function defaultLanguage(): Language {
  return navigator.language.toLowerCase().startsWith('en') ? 'en' : 'ja';
}

export const LanguageContext = createContext<{ language: Language; t: Translate }>({
  language: 'ja',
  t: wordsOf('ja'),
});

export const useWords = () => useContext(LanguageContext);
