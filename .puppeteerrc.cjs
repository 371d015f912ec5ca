// Puppeteer cannot download its browser here; whatsapp-web.js launches Debian's /usr/bin/chromium instead.
module.exports = { skipDownload: true };
