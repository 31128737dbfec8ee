// The reader's own images: a file chooser and a drop zone feeding one list, each file removable.
// Nothing is judged here: a file that is not an image goes to the pool like the others and comes
// back with its error on its card, as any bad input would.

/** Shows a byte count in plain units. */
export function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Builds the chooser in `root`. `single` keeps at most one file (the newest). `onChange(files)`
 * runs when the list changes. Returns `{ files(), read(), clear(), setDisabled(flag) }`; `read()`
 * resolves with `[{ name, bytes: Uint8Array }]`, fresh copies each time (they are transferred).
 */
export function createFilePicker(root, { single = false, label, onChange = () => {} } = {}) {
  root.classList.add('file-picker');
  const zone = document.createElement('label');
  zone.className = 'drop-zone';
  const input = Object.assign(document.createElement('input'), {
    type: 'file',
    multiple: !single,
    accept: 'image/jpeg,image/png',
  });
  // The browser's own "No file chosen" would contradict the list below (files are added to it and
  // the input is emptied for the next choice), so the input is hidden and the zone says it all.
  input.className = 'visually-hidden';
  const text = document.createElement('span');
  text.textContent = label ?? (single ? 'Drop a JPEG or PNG here, or click to choose one' : 'Drop JPEG or PNG files here, or click to choose');
  const count = document.createElement('span');
  count.className = 'chosen-count';
  count.setAttribute('aria-live', 'polite');
  zone.append(input, text, count);
  const list = document.createElement('ul');
  list.className = 'chosen-files';
  list.setAttribute('aria-label', 'Your files');
  root.replaceChildren(zone, list);

  let chosen = [];
  const show = () => {
    const n = chosen.length;
    count.textContent = single
      ? n ? 'Your image replaces the sample.' : 'No image of yours chosen.'
      : n ? `${n} of your files ${n === 1 ? 'joins' : 'join'} the ticked samples in the batch.` : 'No files of yours chosen yet.';
    list.replaceChildren(
      ...chosen.map((file, i) => {
        const li = document.createElement('li');
        const name = document.createElement('span');
        name.textContent = `${file.name} · ${formatBytes(file.size)}`;
        const remove = Object.assign(document.createElement('button'), { type: 'button', textContent: '×' });
        remove.setAttribute('aria-label', `Remove ${file.name}`);
        remove.addEventListener('click', () => {
          chosen = chosen.filter((_, k) => k !== i);
          show();
          onChange(chosen);
        });
        li.append(name, remove);
        return li;
      }),
    );
  };
  const add = (files) => {
    const fresh = [...files];
    if (!fresh.length) return;
    chosen = single ? [fresh.at(-1)] : [...chosen, ...fresh];
    show();
    onChange(chosen);
  };

  show();
  input.addEventListener('change', () => {
    add(input.files);
    input.value = '';
  });
  zone.addEventListener('dragover', (event) => {
    event.preventDefault();
    zone.classList.add('over');
  });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (event) => {
    event.preventDefault();
    zone.classList.remove('over');
    if (!input.disabled) add(event.dataTransfer?.files ?? []);
  });

  return {
    files: () => chosen,
    async read() {
      return Promise.all(chosen.map(async (file) => ({ name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) })));
    },
    clear() {
      chosen = [];
      show();
      onChange(chosen);
    },
    setDisabled(disabled) {
      input.disabled = disabled;
      zone.classList.toggle('disabled', disabled);
    },
  };
}
