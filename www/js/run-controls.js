// The Run and Cancel buttons of an image widget and the runs they start: Run is off while a run is
// under way or threads are unavailable, Cancel is on only while one is, and a run that cannot
// start says why in the widget's alert line.

/**
 * Wires `runButton` and `cancelButton`. `fromPage()` resolves with the `[config, files]` the
 * widget's knobs describe; `perform(config, files)` runs them and resolves with the report.
 * Returns `{ run(config, files), setAvailable(flag) }`: `run` is `perform` with the buttons kept
 * in step, a rejection shown in `message` and `notStarted` in `status`.
 */
export function createRunControls({ runButton, cancelButton, message, status, client, notStarted, fromPage, perform }) {
  let available = true;
  let running = 0;
  const refresh = () => {
    runButton.disabled = running > 0 || !available;
    cancelButton.disabled = running === 0;
  };

  async function run(config, chosen = []) {
    message.hidden = true;
    running++;
    refresh();
    status.textContent = 'Starting…';
    try {
      return await perform(config, chosen);
    } catch (error) {
      message.textContent = error.message;
      message.hidden = false;
      status.textContent = notStarted;
      throw error;
    } finally {
      running--;
      refresh();
    }
  }

  runButton.addEventListener('click', async () => {
    const [config, chosen] = await fromPage();
    run(config, chosen).catch(() => {});
  });
  cancelButton.addEventListener('click', () => client.cancel());

  return {
    run,
    setAvailable(flag) {
      available = flag;
      refresh();
    },
  };
}
