import { authFetch } from '../../api';

/** Downloads a file that needs the session's token (fetch + blob), under the server's file name, else `fallback`. */
export async function download(path: string, fallback: string): Promise<void> {
  const response = await authFetch(path, { headers: { Accept: 'text/csv' } });
  const disposition = response.headers.get('content-disposition') ?? '';
  const name = /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback;
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = decodeURIComponent(name);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
