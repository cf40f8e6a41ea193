// hearth: small progressive enhancements. Every page works without this file.
(function () {
  "use strict";

  // One polite live region, so screen readers hear what a button did.
  var status = null;
  function announce(text) {
    if (!status) {
      status = document.createElement("span");
      status.setAttribute("role", "status");
      status.className = "visually-hidden";
      document.body.appendChild(status);
    }
    status.textContent = "";
    setTimeout(function () { status.textContent = text; }, 50);
  }

  // Copy buttons on the promotion kit.
  document.addEventListener("click", function (event) {
    var button = event.target.closest("button[data-copy-from]");
    if (!button) return;
    var field = document.getElementById(button.getAttribute("data-copy-from"));
    if (!field) return;
    var done = function () {
      // The first label is kept, so quick repeated clicks never leave "Copied".
      if (!button.hasAttribute("data-label")) button.setAttribute("data-label", button.textContent);
      button.textContent = "Copied";
      announce("Copied to the clipboard");
      clearTimeout(button.hearthReset);
      button.hearthReset = setTimeout(function () {
        button.textContent = button.getAttribute("data-label");
      }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select();
      });
    } else {
      field.select();
      if (document.execCommand && document.execCommand("copy")) done();
    }
  });

  // Mastodon: let readers name any server, not only the listed ones.
  document.querySelectorAll("form[data-mastodon-share]").forEach(function (form) {
    var other = form.querySelector(".share-mastodon-other");
    var input = form.querySelector("[data-mastodon-server]");
    if (!other || !input) return;
    other.hidden = false;
    try {
      var saved = localStorage.getItem("hearth-mastodon-server");
      if (saved) input.value = saved;
    } catch (e) { /* storage may be blocked */ }
    input.addEventListener("input", function () {
      input.removeAttribute("aria-invalid");
      input.setCustomValidity("");
    });
    form.addEventListener("submit", function (event) {
      if (event.submitter && !event.submitter.hasAttribute("data-mastodon-go")) return;
      var server = input.value.trim().replace(/^https?:\/\//, "").replace(/\/.*$/, "");
      if (!/^[a-z0-9.-]+\.[a-z]{2,}$/i.test(server)) {
        event.preventDefault();
        // Say what is wrong, on the field and to screen readers.
        var why = "Write your server's name, such as mastodon.social";
        input.setAttribute("aria-invalid", "true");
        input.setCustomValidity(why);
        input.reportValidity();
        announce(why);
        input.focus();
        return;
      }
      try { localStorage.setItem("hearth-mastodon-server", server); } catch (e) { /* ignore */ }
      form.action = "https://" + server + "/share";
    });
  });
})();
