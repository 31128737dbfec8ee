// An edit a panel asks of the host's knobs (the Go program's mistake toggles): applied only when
// the core accepts the result, so a mistake this pool cannot make is explained, and the knobs stay
// as they were.

/**
 * Sets `fields` on `controls` (controls.js) and has the core judge the knobs. When it finds a
 * problem the knobs go back to what they were and `explain(words)` says why; resolves with
 * whether the edit stands.
 */
export async function tryEdit(controls, fields, explain) {
  const before = controls.read();
  controls.set(fields);
  const problems = await controls.validate();
  if (problems.length === 0) return true;
  controls.set(before, { complete: true });
  await controls.validate();
  explain(`That mistake cannot be made in this pool: ${problems.map((p) => p.message).join(' · ')}`);
  return false;
}
