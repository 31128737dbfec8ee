// Running code in a task of its own, so the main thread can draw and take input in between.

/** Calls `then` in a task of its own, at once (a timer would wait at least 4 ms once nested). */
export const nextTask = (() => {
  const { port1, port2 } = new MessageChannel();
  const queue = [];
  port1.onmessage = () => queue.shift()();
  return (then) => {
    queue.push(then);
    port2.postMessage(null);
  };
})();
