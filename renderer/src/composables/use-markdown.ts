// Article Markdown → sanitised HTML. Raw HTML in Markdown is off, links become plain text (a kiosk
// navigates nowhere), and DOMPurify cleans the result anyway. KB images (`kb-blob:<sha256>`) are
// rendered without a src and filled in from the kiosk API (blob: URLs, allowed by the CSP).
import DOMPurify from 'dompurify';
import MarkdownIt from 'markdown-it';
import { BLOB_URL_PREFIX } from '../../../contracts/kb-bundle.ts';
import { kiosk } from '../api/kiosk.ts';

const md = new MarkdownIt({ html: false, linkify: false, typographer: false });
md.renderer.rules.link_open = () => '<span class="md-link">';
md.renderer.rules.link_close = () => '</span>';
md.renderer.rules.image = (tokens, idx) => {
  const token = tokens[idx]!;
  const src = String(token.attrGet('src') ?? '');
  const alt = md.utils.escapeHtml(token.content);
  const sha = src.startsWith(BLOB_URL_PREFIX) ? src.slice(BLOB_URL_PREFIX.length) : '';
  return /^[0-9a-f]{64}$/.test(sha) ? `<img class="kb-image" alt="${alt}" data-kb-blob="${sha}">` : `<span class="md-missing-image">${alt}</span>`;
};

export function renderArticle(markdown: string): string {
  return DOMPurify.sanitize(md.render(markdown), {
    ALLOWED_TAGS: ['p', 'br', 'strong', 'em', 'ul', 'ol', 'li', 'h1', 'h2', 'h3', 'h4', 'blockquote', 'code', 'pre', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'img', 'span', 'hr'],
    ALLOWED_ATTR: ['alt', 'class', 'data-kb-blob'],
  });
}

const objectUrls = new Map<string, string>();

/** Fills the src of every KB image under `root`. */
export async function loadKbImages(root: HTMLElement): Promise<void> {
  const images = [...root.querySelectorAll<HTMLImageElement>('img[data-kb-blob]')];
  await Promise.all(
    images.map(async (img) => {
      const sha = img.dataset.kbBlob!;
      let url = objectUrls.get(sha);
      if (!url) {
        const blob = await kiosk().call('kb.blob', { sha256: sha });
        const bytes = Uint8Array.from(atob(blob.base64), (c) => c.charCodeAt(0));
        url = URL.createObjectURL(new Blob([bytes], { type: blob.mediaType }));
        objectUrls.set(sha, url);
      }
      img.src = url;
    }),
  );
}
