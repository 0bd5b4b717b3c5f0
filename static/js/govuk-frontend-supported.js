// Loaded at the top of <body>, before anything is drawn: GOV.UK Frontend's styles for JavaScript
// (js-enabled) and its components (govuk-frontend-supported, only in browsers that run modules)
// apply from the first paint. A file rather than an inline script, so the page's
// Content-Security-Policy needs no exception.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
