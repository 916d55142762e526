import "@testing-library/jest-dom/vitest";
import { notifications } from "@mantine/notifications";
import { cleanup } from "@testing-library/react";
import { afterEach } from "vitest";

afterEach(() => {
  if (typeof window === "undefined") return;
  cleanup();
  // The notifications store is module-global; without this a toast leaks into the next test.
  notifications.clean();
  localStorage.clear();
});

class NoopResizeObserver {
  observe(): void {}
  unobserve(): void {}
  disconnect(): void {}
}

// jsdom lacks these browser APIs that Mantine relies on (node-environment files skip this).
if (typeof window !== "undefined") installBrowserShims();

function installBrowserShims(): void {
  if (typeof window.matchMedia !== "function") {
    window.matchMedia = (query: string): MediaQueryList => ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false,
    });
  }
  if (typeof window.ResizeObserver !== "function")
    window.ResizeObserver = NoopResizeObserver;
  window.HTMLElement.prototype.scrollIntoView = function scrollIntoView() {};
}
