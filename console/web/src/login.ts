// The login form shown when an API call answers 401. Concurrent 401s share one form.
import type { Credential } from './api';
import { h } from './dom';

let pending: Promise<Credential> | null = null;

export function askForCredential(failure?: string): Promise<Credential> {
  if (!pending) {
    pending = showForm(failure).finally(() => {
      pending = null;
    });
  }
  return pending;
}

function showForm(failure?: string): Promise<Credential> {
  return new Promise((resolve) => {
    const user = h('input', { name: 'user', autocomplete: 'username', placeholder: 'user' });
    const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', placeholder: 'password' });
    const token = h('input', { name: 'token', type: 'password', autocomplete: 'off', placeholder: 'API token' });
    const useToken = h('input', { type: 'checkbox', name: 'use-token' });
    const passwordRows = h('div', { class: 'login-rows' }, h('label', {}, 'User', user), h('label', {}, 'Password', password));
    const tokenRows = h('div', { class: 'login-rows', hidden: true }, h('label', {}, 'Token', token));
    useToken.addEventListener('change', () => {
      passwordRows.hidden = useToken.checked;
      tokenRows.hidden = !useToken.checked;
    });
    const form = h(
      'form',
      { class: 'login', id: 'login-form' },
      h('h2', {}, 'Sign in to Sundial'),
      h('p', { class: 'muted' }, 'This server requires authentication. The credential is kept in this tab only (sessionStorage).'),
      failure ? h('p', { class: 'error' }, failure) : null,
      passwordRows,
      tokenRows,
      h('label', { class: 'inline' }, useToken, ' Use an API token'),
      h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    );
    const overlay = h('div', { class: 'overlay' }, form);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      overlay.remove();
      resolve(useToken.checked ? { kind: 'bearer', token: token.value } : { kind: 'basic', user: user.value, password: password.value });
    });
    document.body.appendChild(overlay);
    (useToken.checked ? token : user).focus();
  });
}
