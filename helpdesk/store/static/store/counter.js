// The store counter: the lookup field asks for the keyboard that fits the chosen key
// (digits for a phone or order number, @ for an email). Works without it, too.
(function () {
  "use strict";
  var MODES = { phone: "tel", email: "email", order: "numeric", loyalty_card: "text", name: "text", any: "text" };
  var HINTS = {
    phone: "Phone number, e.g. 06 12345678",
    email: "Email address",
    loyalty_card: "Loyalty card number",
    order: "Order number",
    name: "Name (a typo is fine)",
    any: "Phone, email, loyalty card, order number or name",
  };
  function setMode(input, key) {
    input.setAttribute("inputmode", MODES[key] || "text");
    input.setAttribute("placeholder", HINTS[key] || HINTS.any);
  }
  document.addEventListener("DOMContentLoaded", function () {
    var input = document.getElementById("q");
    if (!input) return;
    var checked = document.querySelector("input[name=key]:checked");
    if (checked) setMode(input, checked.value);
    document.querySelectorAll("input[name=key]").forEach(function (radio) {
      radio.addEventListener("change", function () {
        setMode(input, radio.value);
        input.focus();
      });
    });
  });
})();
