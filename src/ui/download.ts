/** Saves a Blob as a file in the browser (a download the person can keep). */
export function saveFile(file: { name: string; blob: Blob } | null): void {
  if (!file) return;
  const url = URL.createObjectURL(file.blob);
  const a = Object.assign(document.createElement('a'), { href: url, download: file.name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A text file to download. */
export function textFile(name: string, text: string, type: string): { name: string; blob: Blob } {
  return { name, blob: new Blob([text], { type }) };
}
