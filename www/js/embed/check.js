// Judging an embed's settings with the core's own rules and words (the coordinator's `problems`,
// which name each field by its on-screen label): a wrong setting is reported in those words and
// left out, the rest still apply.

/** The core's problems as one line. */
const words = (problems) => problems.map(({ message }) => message).join('; ');

/**
 * Checks `given` (typed settings from settings.js) through `client.problems`. A bad scenario falls
 * back to the basic pool; each other field is tried on top of the scenario, then all together.
 * Resolves with `{ config, accepted, problems }`: the config a run would use (`client.check`), the
 * settings kept, and one plain-words line per setting that was left out.
 */
export async function checkSettings(client, given) {
  const problems = [];
  const base = {};
  if (given.scenario !== undefined) {
    const found = await client.problems({ scenario: given.scenario });
    if (found.length) problems.push(`${words(found)}; showing the basic pool instead`);
    else base.scenario = given.scenario;
  }
  const accepted = { ...base };
  for (const [field, value] of Object.entries(given)) {
    if (field === 'scenario') continue;
    const found = await client.problems({ ...base, [field]: value });
    if (found.length) problems.push(`${words(found)} (ignored)`);
    else accepted[field] = value;
  }
  const together = await client.problems(accepted);
  if (!together.length) return { config: await client.check(accepted), accepted, problems };
  // Each setting is fine alone but not together (say, a failing job past the last job).
  problems.push(`${words(together)} (so only the scenario applies)`);
  return { config: await client.check(base), accepted: base, problems };
}
