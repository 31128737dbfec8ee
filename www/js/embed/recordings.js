// The recordings shipped with the site: one real threaded run per preset, written by
// tools/record.mjs (`./build.sh build` runs it) into www/recordings/<preset>.json, with an index.

const FOLDER = new URL('../../recordings/', import.meta.url);

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url} answered ${response.status}`);
  return response.json();
}

/** The names of the presets that have a recording. */
export async function recordingNames() {
  const index = await fetchJson(new URL('index.json', FOLDER));
  return index.recordings.map(({ name }) => name);
}

/** The recorded report of preset `name` (a report as `window.poolplay.run` returns it). */
export async function loadRecording(name) {
  if (!(await recordingNames()).includes(name)) return null;
  return fetchJson(new URL(`${encodeURIComponent(name)}.json`, FOLDER));
}

/** The recorded report of the pipeline example's default run, or null if none ships. */
export async function loadPipelineRecording() {
  const index = await fetchJson(new URL('index.json', FOLDER));
  return index.pipeline ? fetchJson(new URL('pipeline.json', FOLDER)) : null;
}
