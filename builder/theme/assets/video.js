// Click-to-load videos: a hosted video's link becomes the platform's privacy-enhanced player only when
// the visitor clicks it, so that no request reaches the platform before. Without scripts the link
// simply leads to the video's page on the platform.
(() => {
  if (window.disseminateVideos) return; // the script is included once per player
  window.disseminateVideos = true;
  document.addEventListener("click", (event) => {
    const facade = event.target.closest("a.ds-video__facade[data-player]");
    if (!facade || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    const player = new URL(facade.dataset.player);
    player.searchParams.set("autoplay", "1");
    const frame = document.createElement("iframe");
    frame.src = player.href;
    frame.title = facade.dataset.title;
    frame.allow = "autoplay; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    frame.className = "ds-video__player";
    facade.replaceWith(frame);
    frame.focus();
  });
})();
