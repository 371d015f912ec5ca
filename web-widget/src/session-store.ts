/**
 * Where the widget keeps what must survive a reload: the session token (localStorage, so the
 * conversation follows the driver across visits) and whether the panel was open (sessionStorage,
 * so it stays open while they move between the operator's pages). Storage can be missing or
 * throw (privacy modes, sandboxed frames); then the widget still works, it just forgets.
 */
export interface SessionStore {
  token(): string | undefined;
  setToken(token: string): void;
  clearToken(): void;
  wasOpen(): boolean;
  setOpen(open: boolean): void;
}

/** A store whose keys are scoped to one chat server, so two deployments on a page never mix. */
export function browserSessionStore(server: string): SessionStore {
  const tokenKey = `smart-parking.chat.token@${server}`;
  const openKey = `smart-parking.chat.open@${server}`;
  let memoryToken: string | undefined;
  return {
    token: () => read(() => localStorage.getItem(tokenKey)) ?? memoryToken,
    setToken: (token) => {
      memoryToken = token;
      write(() => localStorage.setItem(tokenKey, token));
    },
    clearToken: () => {
      memoryToken = undefined;
      write(() => localStorage.removeItem(tokenKey));
    },
    wasOpen: () => read(() => sessionStorage.getItem(openKey)) === '1',
    setOpen: (open) =>
      write(() => (open ? sessionStorage.setItem(openKey, '1') : sessionStorage.removeItem(openKey))),
  };
}

function read(get: () => string | null): string | undefined {
  try {
    return get() ?? undefined;
  } catch {
    return undefined;
  }
}

function write(set: () => void): void {
  try {
    set();
  } catch {
    // storage full or blocked: keep going without persistence
  }
}
