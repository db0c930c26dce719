// The walking tolerance test recorder. Reads the phone's motion sensors (DeviceMotion:
// acceleration including gravity in m/s², rotation rate in deg/s), keeps the samples in
// memory with their times, and uploads them with the person's markers when they save.
//
// A browser stops sending motion when the phone's screen turns off, so the page asks the
// phone to keep its screen on (Screen Wake Lock) while it is open, asks again when it is
// shown again, and says so when part of the walk was not recorded. The server measures the
// holes in the samples and notes them with the result.
"use strict";

(() => {
  const LIMIT_S = 15 * 60;
  const $ = (id) => document.getElementById(id);

  const state = {
    t0: null,
    t: [], ax: [], ay: [], az: [], gx: [], gy: [], gz: [],
    gyro: true,
    painAt: null,
    stopAt: null,
    stoppedWall: null,
    recoveryS: null,
    tick: null,
    recoveryTick: null,
    wall0: null,
    slept: 0,
    hiddenAt: null,
    saved: false,
  };

  const clock = (seconds) => {
    const s = Math.max(0, Math.floor(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
  };
  // performance.now() is precise, but on some phones its clock stands still while the phone
  // sleeps; the wall clock does not. Time the phone slept is added back, so that the test's
  // times, and the hole in its samples, are the time the person lived.
  const round = (value, scale) => Math.round(value * scale) / scale;
  const now = () => performance.now() / 1000 + state.slept;
  const since = () => (state.t0 === null ? 0 : now() - state.t0);
  function catchUp() {
    if (state.wall0 === null) return;
    const behind = Date.now() / 1000 - state.wall0 - since();
    if (behind > 1) state.slept += behind;
  }
  const recording = () => state.t0 !== null && state.stopAt === null;

  async function keepScreenOn() {
    if (!navigator.wakeLock) return false;
    try {
      await navigator.wakeLock.request("screen"); // held until the page is hidden or left
      return true;
    } catch (error) {
      return false; // refused (battery saver, or the page is not visible): the note says so
    }
  }

  function onVisibility() {
    if (document.visibilityState === "hidden") {
      if (recording()) state.hiddenAt = now();
      return;
    }
    catchUp();
    if (state.tick !== null) keepScreenOn(); // a hidden page loses its wake lock
    if (state.hiddenAt === null) return;
    const off = now() - state.hiddenAt;
    state.hiddenAt = null;
    if (recording() && off >= 2) {
      say(`The screen was off for ${clock(off)}, so that part of the walk was not recorded. Keep this page open with the screen on.`);
    }
  }

  function say(text) {
    $("status").textContent = text;
  }

  function onMotion(event) {
    const a = event.accelerationIncludingGravity;
    if (!a || a.x === null || a.y === null || a.z === null) return;
    if (state.t0 === null) {
      state.t0 = now();
      state.wall0 = Date.now() / 1000;
    } else {
      catchUp();
    }
    state.t.push(round(since(), 1000));
    // Rounded far below a phone sensor's noise (about 0.01 m/s² and 0.1 deg/s): a 15-minute
    // upload is then about a third of the size, which matters on a slow mobile connection.
    state.ax.push(round(a.x, 1000));
    state.ay.push(round(a.y, 1000));
    state.az.push(round(a.z, 1000));
    const r = event.rotationRate;
    if (r && r.alpha !== null && r.beta !== null && r.gamma !== null) {
      state.gx.push(round(r.beta, 100));
      state.gy.push(round(r.gamma, 100));
      state.gz.push(round(r.alpha, 100));
    } else {
      state.gyro = false;
    }
    if (state.stopAt === null && since() >= LIMIT_S) stop("time_limit");
  }

  async function start() {
    const Motion = window.DeviceMotionEvent;
    if (!Motion) {
      say("This browser cannot read motion sensors. Please use a phone.");
      return;
    }
    if (typeof Motion.requestPermission === "function") {
      // Some phones ask the person first; the request must come from this tap.
      try {
        if ((await Motion.requestPermission()) !== "granted") {
          say("Motion sensors were not allowed, so the test cannot run.");
          return;
        }
      } catch (error) {
        say("Motion sensors were not allowed, so the test cannot run.");
        return;
      }
    }
    window.addEventListener("devicemotion", onMotion);
    $("start").hidden = true;
    $("pain").hidden = false;
    $("stop").hidden = false;
    $("stop").focus();
    say("Recording. Walk at your usual pace.");
    if (!(await keepScreenOn())) {
      say("Recording. Walk at your usual pace. Keep the screen on: if it turns off, the recording pauses.");
    }
    state.tick = window.setInterval(() => {
      $("elapsed").textContent = clock(since());
      if (state.stopAt === null && since() >= LIMIT_S) stop("time_limit");
    }, 500);
    window.setTimeout(() => {
      if (state.t.length === 0) {
        say("No motion data is arriving. This device may not share its motion sensors.");
      }
    }, 3000);
  }

  function pain() {
    if (state.painAt !== null || state.t0 === null) return;
    catchUp();
    state.painAt = since();
    $("pain").disabled = true;
    say(`Pain noted at ${clock(state.painAt)}. Keep going if you can, then tap Stop.`);
  }

  function stop(reason) {
    if (state.stopAt !== null) return;
    catchUp();
    // The test ends at 15 minutes: when that is noticed late (the phone slept), it still
    // ends at 15.
    const elapsed = state.t0 === null ? 0 : since();
    state.stopAt = reason === "time_limit" ? Math.min(elapsed, LIMIT_S) : elapsed;
    state.stoppedWall = now();
    window.removeEventListener("devicemotion", onMotion);
    window.clearInterval(state.tick);
    $("pain").hidden = true;
    $("stop").hidden = true;
    $("after").hidden = false;
    const chosen = reason || (state.painAt !== null ? "pain" : null);
    if (chosen) {
      const input = document.querySelector(`input[name="stop_reason"][value="${chosen}"]`);
      if (input) input.checked = true;
    }
    say(`Stopped after ${clock(state.stopAt)}. Sit down or lean forward now.`);
    state.recoveryTick = window.setInterval(() => {
      $("recovery-clock").textContent = clock(now() - state.stoppedWall);
    }, 500);
    $("eased").focus();
  }

  function eased() {
    if (state.stoppedWall === null || state.recoveryS !== null) return;
    state.recoveryS = Math.round((now() - state.stoppedWall) * 10) / 10;
    window.clearInterval(state.recoveryTick);
    $("eased").disabled = true;
    say(`Pain eased after ${clock(state.recoveryS)}. Now save the result.`);
    $("save").focus();
  }

  function showError(text) {
    say("Not saved yet.");
    const box = $("upload-error");
    box.textContent = text;
    box.hidden = false;
    box.focus();
  }

  const SIGNED_OUT =
    "Your sign-in has ended, so the result could not be saved yet. Your walk is kept on this " +
    "page: do not reload it or go back. Open Backstride in a new tab, sign in, then come back " +
    "here and tap Save the result again.";

  /** The recorder's token for the current sign-in, read from a fresh copy of this page. */
  async function refreshToken() {
    try {
      const page = await fetch("/walk-test", { credentials: "same-origin" });
      const found = /id="recorder"[^>]*data-csrf="([^"]+)"/.exec(await page.text());
      if (!page.ok || !found) return false;
      $("recorder").dataset.csrf = found[1];
      return true;
    } catch (error) {
      return false;
    }
  }

  async function save() {
    const reason = document.querySelector('input[name="stop_reason"]:checked');
    if (!reason) {
      showError("Please choose why you stopped.");
      return;
    }
    const heightText = $("height-cm").value.trim();
    const height = heightText ? Number(heightText) / 100 : null;
    if (heightText && !(height >= 1 && height <= 2.3)) {
      showError("Height: please type your height in centimetres, from 100 to 230, or leave it empty.");
      return;
    }
    const body = {
      t_s: state.t,
      acc_x: state.ax,
      acc_y: state.ay,
      acc_z: state.az,
      stopped_s: state.stopAt,
      stop_reason: reason.value,
      pain_started_s: state.painAt,
      recovery_s: state.recoveryS,
      height_m: height,
    };
    if (state.gyro && state.gx.length === state.t.length) {
      Object.assign(body, { gyr_x: state.gx, gyr_y: state.gy, gyr_z: state.gz });
    }
    $("save").disabled = true;
    say("Saving…");
    const send = () =>
      fetch("/walk-test", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-csrf-token": $("recorder").dataset.csrf,
        },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
    try {
      let response = await send();
      if (response.status === 403) {
        // The page's token belongs to the sign-in it was opened with. If that sign-in has
        // ended (and perhaps another has begun in a new tab), reloading would lose the walk:
        // fetch the page's current token instead, and send once more.
        if (await refreshToken()) {
          response = await send();
        } else {
          showError(SIGNED_OUT);
          $("save").disabled = false;
          return;
        }
      }
      const answer = await response.json();
      if (response.status === 201) {
        state.saved = true;
        window.location.assign(answer.url);
        return;
      }
      const detail = Array.isArray(answer.detail)
        ? answer.detail.map((d) => `${d.loc[d.loc.length - 1]}: ${d.msg}`).join(". ")
        : String(answer.detail);
      showError(`The result could not be saved. ${detail}`);
    } catch (error) {
      showError("The result could not be saved: no connection. Try again when you are online.");
    }
    $("save").disabled = false;
  }

  document.addEventListener("DOMContentLoaded", () => {
    const recorder = $("recorder");
    if (!recorder) return;
    recorder.querySelector(".recorder-ui").hidden = false;
    $("upload-error").tabIndex = -1;
    $("start").addEventListener("click", start);
    $("pain").addEventListener("click", pain);
    $("stop").addEventListener("click", () => stop(null));
    $("eased").addEventListener("click", eased);
    $("save").addEventListener("click", save);
    document.addEventListener("visibilitychange", onVisibility);
    // A walk recorded and not yet saved would be lost with the page: the browser asks first.
    window.addEventListener("beforeunload", (event) => {
      if (state.t.length > 0 && !state.saved) {
        event.preventDefault();
        event.returnValue = ""; // browsers that predate preventDefault() here
      }
    });
  });
})();
