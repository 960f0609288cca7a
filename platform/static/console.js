// The console's conveniences; every form works without them.
// Upload progress: an attachment form is sent by XMLHttpRequest so that a progress bar
// can show how much has gone; the answer (the item's page after the redirect, or the
// form again with its error) replaces the page as a normal submission would.
(function () {
  "use strict";
  var forms = document.querySelectorAll("form.upload");
  Array.prototype.forEach.call(forms, function (form) {
    if (!window.FormData || !window.XMLHttpRequest) {
      return;
    }
    form.addEventListener("submit", function (event) {
      var bar = form.querySelector("progress");
      var xhr = new XMLHttpRequest();
      event.preventDefault();
      xhr.open("POST", form.action);
      if (bar) {
        bar.hidden = false;
        bar.value = 0;
        xhr.upload.addEventListener("progress", function (e) {
          if (e.lengthComputable) {
            bar.value = Math.round((e.loaded / e.total) * 100);
          }
        });
      }
      xhr.addEventListener("load", function () {
        if (xhr.status < 400 && xhr.responseURL) {
          window.location.assign(xhr.responseURL);
          return;
        }
        document.open();
        document.write(xhr.responseText);
        document.close();
      });
      xhr.addEventListener("error", function () {
        form.submit();
      });
      xhr.send(new FormData(form));
    });
  });
})();
