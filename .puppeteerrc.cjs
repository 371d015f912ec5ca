/** Never download a browser at install: whatsapp-web.js runs Debian's Chromium (CHROMIUM_PATH). */
module.exports = { skipDownload: true };
