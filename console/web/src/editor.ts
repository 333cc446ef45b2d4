// The query editor: CodeMirror 6 with the language's highlighting, server-driven autocomplete,
// Ctrl+Enter (Cmd+Enter) to run and a lint marker at the position an error names.
import { autocompletion, closeBrackets, closeBracketsKeymap, completionKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import { bracketMatching, defaultHighlightStyle, syntaxHighlighting } from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState, Prec } from '@codemirror/state';
import { EditorView, drawSelection, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { completionSource } from './completion';
import { promQl, sundialQl, type Language } from './language';

export interface QueryEditor {
  view: EditorView;
  text(): string;
  setText(text: string): void;
  setLanguage(language: Language): void;
  /** Marks the error at a 1-based line and column (clamped to the text); null clears the marks. */
  markError(message: string | null, line?: number, column?: number): void;
}

export function createEditor(parent: HTMLElement, options: {
  language: () => Language;
  database: () => string;
  onRun: () => void;
  initialText: string;
}): QueryEditor {
  const languageSlot = new Compartment();
  const run = () => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: options.initialText,
      extensions: [
        lineNumbers(),
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        lintGutter(),
        placeholder('Write a query; Ctrl+Enter runs it'),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        languageSlot.of(options.language() === 'promql' ? promQl : sundialQl),
        autocompletion({ override: [completionSource(options.language, options.database)], activateOnTyping: true }),
        Prec.highest(keymap.of([{ key: 'Mod-Enter', run }])),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, ...completionKeymap]),
        EditorView.lineWrapping,
        EditorView.updateListener.of((update) => {
          // An edit makes an old error position meaningless.
          if (update.docChanged) update.view.dispatch(setDiagnostics(update.state, []));
        }),
      ],
    }),
  });
  return {
    view,
    text: () => view.state.doc.toString(),
    setText(text) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: text } });
    },
    setLanguage(language) {
      view.dispatch({ effects: languageSlot.reconfigure(language === 'promql' ? promQl : sundialQl) });
    },
    markError(message, line, column) {
      if (message === null || line === undefined || column === undefined) {
        view.dispatch(setDiagnostics(view.state, []));
        return;
      }
      const doc = view.state.doc;
      const lineInfo = doc.line(Math.min(Math.max(1, line), doc.lines));
      const from = Math.min(lineInfo.from + Math.max(0, column - 1), lineInfo.to);
      // Mark the token at the position (to the next space), at least one character where there is one.
      const rest = doc.sliceString(from, lineInfo.to);
      const length = Math.max(1, (/^\S+/.exec(rest)?.[0].length ?? 1));
      const to = Math.min(from + length, doc.length);
      view.dispatch(setDiagnostics(view.state, [{ from, to: Math.max(from, to), severity: 'error', message }]));
    },
  };
}
