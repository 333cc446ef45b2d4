// The console shell: navigation between the pages by hash route (#/query, #/schema, #/ingest,
// #/status), so the server serves one index.html and needs no fallback routes.
import './style.css';
import { storeCredential, storedCredential } from './api';
import { h } from './dom';
import { IngestPage } from './ingest-page';
import { QueryPage } from './query-page';
import { SchemaPage } from './schema-page';
import { StatusPage } from './status-page';

interface Page {
  element: HTMLElement;
  show(): void;
}

const query = new QueryPage();
const schema = new SchemaPage();
const ingest = new IngestPage();
const status = new StatusPage();

const pages: Record<string, Page & { title: string }> = {
  query: { title: 'Query', element: query.element, show: () => { void query.refreshDatabases(); query.focus(); } },
  schema: { title: 'Schema', element: schema.element, show: () => void schema.refresh() },
  ingest: { title: 'Ingest', element: ingest.element, show: () => undefined },
  status: { title: 'Status', element: status.element, show: () => void status.refresh() },
};

const nav = h('nav', {}, ...Object.entries(pages).map(([route, page]) => h('a', { href: `#/${route}`, id: `nav-${route}` }, page.title)));
const signOut = h('button', {
  class: 'link',
  id: 'sign-out',
  onclick: () => {
    storeCredential(null);
    location.reload();
  },
}, 'Sign out');
const main = h('main', {});
document.getElementById('app')!.append(
  h('header', {}, h('span', { class: 'brand' }, h('img', { src: '/favicon.svg', alt: '', width: 20, height: 20 }), ' Sundial'), nav, signOut),
  main);

function route(): void {
  const name = location.hash.replace(/^#\/?/, '') || 'query';
  const page = pages[name] ?? pages.query;
  for (const link of nav.querySelectorAll('a')) link.classList.toggle('active', link.getAttribute('href') === `#/${name}`);
  main.replaceChildren(page.element);
  signOut.hidden = storedCredential() === null;
  document.title = `${page.title} · Sundial console`;
  page.show();
}

window.addEventListener('hashchange', route);
route();
