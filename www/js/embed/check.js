// Judging an embed's settings with the core's own rules and words (the coordinator's `check`):
// a wrong setting is reported in the core's message and left out, the rest still apply.

/**
 * Checks `given` (typed settings from settings.js) through `client.check`. A bad scenario falls
 * back to the basic pool; each other field is tried on top of the scenario, then all together.
 * Resolves with `{ config, accepted, problems }`: the config a run would use, the settings kept,
 * and one plain-words line per setting that was left out.
 */
export async function checkSettings(client, given) {
  const problems = [];
  const base = {};
  if (given.scenario !== undefined) {
    try {
      await client.check({ scenario: given.scenario });
      base.scenario = given.scenario;
    } catch (error) {
      problems.push(`${error.message}; showing the basic pool instead`);
    }
  }
  const accepted = { ...base };
  for (const [field, value] of Object.entries(given)) {
    if (field === 'scenario') continue;
    try {
      await client.check({ ...base, [field]: value });
      accepted[field] = value;
    } catch (error) {
      problems.push(`${error.message} (ignored)`);
    }
  }
  try {
    return { config: await client.check(accepted), accepted, problems };
  } catch (error) {
    // Each setting is fine alone but not together (say, a failing job past the last job).
    problems.push(`${error.message} (so only the scenario applies)`);
    return { config: await client.check(base), accepted: base, problems };
  }
}
