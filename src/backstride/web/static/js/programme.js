// Timers on the programme page: a hold timer per exercise and an interval timer for walks.
// Without this file the dose text says the same; the timer boxes stay hidden.
// The clock is hidden from screen readers (it would speak every second); the status line
// announces each change of phase politely.
"use strict";

(() => {
  const format = (seconds) => {
    const s = Math.max(0, Math.ceil(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  const minutes = (m) => (m === 1 ? "1 minute" : `${m} minutes`);

  // A countdown through phases [{label, seconds, say}], with start/pause and reset.
  function countdown(box, phases, startLabel, onEnd) {
    const clock = box.querySelector('[data-role="clock"]');
    const status = box.querySelector('[data-role="status"]');
    const phaseLine = box.querySelector('[data-role="phase"]');
    const start = box.querySelector('[data-action="start"]');
    const reset = box.querySelector('[data-action="reset"]');
    let index = 0;
    let left = phases[0].seconds;
    let timer = null;
    let last = 0;

    const show = () => {
      clock.textContent = format(left);
      if (phaseLine) phaseLine.textContent = phases[index].label;
    };
    const say = (text) => { status.textContent = text; };
    const stop = () => {
      if (timer !== null) window.clearInterval(timer);
      timer = null;
    };
    const tick = () => {
      const now = Date.now();
      left -= (now - last) / 1000;
      last = now;
      if (left <= 0) {
        index += 1;
        if (index >= phases.length) {
          stop();
          index = 0;
          left = phases[0].seconds;
          start.textContent = startLabel;
          show();
          say(onEnd());
          return;
        }
        left = phases[index].seconds;
        say(phases[index].say);
      }
      show();
    };

    start.addEventListener("click", () => {
      if (timer === null) {
        last = Date.now();
        timer = window.setInterval(tick, 250);
        start.textContent = "Pause";
        say(phases[index].say);
      } else {
        stop();
        start.textContent = "Continue";
        say("Paused.");
      }
    });
    reset.addEventListener("click", () => {
      stop();
      index = 0;
      left = phases[0].seconds;
      start.textContent = startLabel;
      show();
      say("Timer reset.");
    });
    show();
    box.hidden = false;
  }

  function holdTimer(box) {
    const hold = Number(box.dataset.holdS);
    const holds = Number(box.dataset.holds) || 1;
    let count = 0;
    countdown(box, [{ label: "Hold", seconds: hold, say: `Hold for ${hold} seconds.` }], "Start hold", () => {
      count += 1;
      return count >= holds
        ? `Hold ${count} done. That is all ${holds}. Well done: relax.`
        : `Hold ${count} of ${holds} done. Relax, then start the next one.`;
    });
  }

  function intervalTimer(box) {
    let intervals;
    try {
      intervals = JSON.parse(box.dataset.intervals);
    } catch {
      return;
    }
    const phases = [];
    intervals.forEach((interval, i) => {
      const more = i < intervals.length - 1 ? "" : " This is the last stretch.";
      phases.push({ label: "Walk", seconds: interval.walk_min * 60, say: `Walk for ${minutes(interval.walk_min)}.${more}` });
      if (interval.rest_min > 0) {
        phases.push({ label: "Rest", seconds: interval.rest_min * 60, say: `Rest for ${minutes(interval.rest_min)}.` });
      }
    });
    if (phases.length === 0) return;
    countdown(box, phases, "Start walk", () => "Walk finished. Well done.");
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".hold-timer").forEach(holdTimer);
    document.querySelectorAll(".interval-timer").forEach(intervalTimer);
  });
})();
