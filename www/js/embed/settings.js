// The settings of an embedded playground: the element's attributes, or the embed page's URL
// parameters, read as config fields, and written back as a link.
//
// Names are the core's field names in kebab case (jobsBuffer ↔ jobs-buffer); the list of fields
// comes from the core (a preset's config names every field), so nothing here restates the rules.
// A value is text; it gets the type its shape says (a number, a list of numbers, true or false,
// otherwise text), and the core judges it (check.js). Nothing here ever becomes markup.

/** Attributes every HTML element may carry: never settings, never reported. */
const GLOBAL_ATTRIBUTES = new Set([
  'id', 'class', 'style', 'hidden', 'title', 'lang', 'dir', 'tabindex', 'slot', 'part', 'is',
  'inert', 'autofocus', 'nonce', 'translate', 'draggable', 'spellcheck', 'accesskey', 'role',
]);

/** Whether attribute `name` is one every HTML element may carry (or data-/aria-): never a setting. */
export const isGlobalAttribute = (name) => GLOBAL_ATTRIBUTES.has(name) || /^(data|aria)-/.test(name);

/** Longer values are cut here before anything else sees them. */
const MAX_TEXT = 200;
/** Settings past this many are ignored. */
const MAX_SETTINGS = 40;

const NUMBER = /^-?\d+(\.\d+)?$/;

/** `jobsBuffer` → `jobs-buffer`. */
export const attributeName = (field) => field.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** `jobs-buffer` → `jobsBuffer`. */
export const fieldName = (name) => name.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

/**
 * The typed value of setting text. `sample` is the field's value in a preset, which says what an
 * empty value means: a bare boolean attribute (`<pool-playground ordered>`) is true, an empty
 * list is empty.
 */
export function parseValue(text, sample) {
  const value = text.trim();
  if (value === '' && typeof sample === 'boolean') return true;
  if (value === '' && Array.isArray(sample)) return [];
  if (value === 'true' || value === 'false') return value === 'true';
  if (NUMBER.test(value)) return Number(value);
  const parts = value.split(/[\s,]+/);
  if (parts.length > 1 && parts.every((part) => NUMBER.test(part))) return parts.map(Number);
  return text;
}

/**
 * Reads `[name, text]` pairs (attributes or URL parameters) against `fields`, a preset config
 * from the core. Returns `{ given, unknown }`: the typed values by field name, and the names that
 * are not settings (shortened, for a report).
 */
export function readSettings(pairs, fields) {
  const given = {};
  const unknown = [];
  for (const [name, text] of pairs.slice(0, MAX_SETTINGS)) {
    if (isGlobalAttribute(name)) continue;
    const field = fieldName(name);
    if (name !== attributeName(field) || !Object.hasOwn(fields, field)) {
      unknown.push(name.slice(0, 40));
      continue;
    }
    if (Object.hasOwn(given, field)) continue;
    given[field] = parseValue(String(text).slice(0, MAX_TEXT), fields[field]);
  }
  if (pairs.length > MAX_SETTINGS) unknown.push(`${pairs.length - MAX_SETTINGS} more`);
  return { given, unknown };
}

/** Setting text for a value: lists as "250,400". */
function settingText(value) {
  return Array.isArray(value) ? value.join(',') : String(value);
}

/**
 * URL parameters that reproduce `config`: its scenario, then every field that differs from that
 * scenario's preset (`preset`), so a link stays short.
 */
export function settingsParams(config, preset = {}) {
  const params = new URLSearchParams();
  params.set('scenario', config.scenario ?? 'basic');
  for (const [field, value] of Object.entries(config)) {
    if (field === 'scenario' || value === undefined || value === null) continue;
    if (JSON.stringify(value) === JSON.stringify(preset[field])) continue;
    params.set(attributeName(field), settingText(value));
  }
  return params;
}
