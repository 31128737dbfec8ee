// The example switch: doubling numbers or resizing images, one shown at a time. The choice lives
// in the address's hash (#image), so a link can open either example.

/**
 * Wires the switch buttons in `nav` (each with `data-example`) to the sections with the same
 * `data-example`; `onShow(name)` hears which one is shown. Returns `show(name)`.
 */
export function createExampleSwitch(nav, sections, onShow = () => {}) {
  const buttons = [...nav.querySelectorAll('button[data-example]')];
  function show(name, { remember = false } = {}) {
    const chosen = sections.some((s) => s.dataset.example === name) ? name : sections[0].dataset.example;
    for (const section of sections) section.hidden = section.dataset.example !== chosen;
    for (const button of buttons) button.setAttribute('aria-pressed', String(button.dataset.example === chosen));
    onShow(chosen);
    if (remember) history.replaceState(null, '', chosen === sections[0].dataset.example ? location.pathname + location.search : `#${chosen}`);
  }
  for (const button of buttons) button.addEventListener('click', () => show(button.dataset.example, { remember: true }));
  show(location.hash.slice(1));
  return show;
}
