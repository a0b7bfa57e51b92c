import type { StateCreator } from 'zustand';
import type { SystemEvent } from '../../../../shared/types';
import { request } from '../../app/request';
import type { Store } from '../../app/store';
import { filterInput, matchesFilter, NO_FILTER, type EventFilter } from './timeline';

/** Events per page of events.list. */
export const EVENTS_PAGE = 100;

/**
 * The system timeline: the newest page of events.list for the filter, older pages on demand
 * (keyset cursor), and live events prepended as event.appended brings them (app/events.ts).
 */
export interface EventsSlice {
  /** Newest first; null before the first read. */
  events: SystemEvent[] | null;
  eventsCursor: string | null;
  eventsError: string | null;
  eventsLoadingOlder: boolean;
  eventFilter: EventFilter;
  /** Reads the newest page for the filter again (the view opens, a filter changes, a reconnect). */
  loadEvents: () => Promise<void>;
  loadOlderEvents: () => Promise<void>;
  setEventFilter: (patch: Partial<EventFilter>) => void;
  /** A live event: put on top if the filter shows it and a list is loaded. */
  eventAppended: (event: SystemEvent) => void;
}

export const createEventsSlice: StateCreator<Store, [], [], EventsSlice> = (set, get) => {
  /** Bumped by every new first-page read, so an older answer for another filter is dropped. */
  let generation = 0;
  return {
    events: null,
    eventsCursor: null,
    eventsError: null,
    eventsLoadingOlder: false,
    eventFilter: NO_FILTER,
    loadEvents: async () => {
      const mine = ++generation;
      const filter = get().eventFilter;
      await request(set, (api) => api['events.list']({ limit: EVENTS_PAGE, ...filterInput(filter) }), {
        errorKey: 'eventsError',
        isCurrent: () => mine === generation,
        onData: (page) => ({ events: page.items, eventsCursor: page.nextCursor }),
      });
    },
    loadOlderEvents: async () => {
      const { eventsCursor, eventsLoadingOlder, eventFilter } = get();
      if (eventsCursor === null || eventsLoadingOlder) return;
      const mine = generation;
      set({ eventsLoadingOlder: true });
      await request(
        set,
        (api) => api['events.list']({ limit: EVENTS_PAGE, cursor: eventsCursor, ...filterInput(eventFilter) }),
        {
          errorKey: 'eventsError',
          isCurrent: () => mine === generation,
          onData: (page) => {
            const known = new Set((get().events ?? []).map((e) => e.id));
            return {
              events: [...(get().events ?? []), ...page.items.filter((e) => !known.has(e.id))],
              eventsCursor: page.nextCursor,
            };
          },
        },
      );
      set({ eventsLoadingOlder: false });
    },
    setEventFilter: (patch) => {
      set({ eventFilter: { ...get().eventFilter, ...patch }, events: null, eventsCursor: null });
      void get().loadEvents();
    },
    eventAppended: (event) => {
      const { events, eventFilter } = get();
      if (events === null || !matchesFilter(event, eventFilter) || events.some((e) => e.id === event.id)) return;
      // A MySQL down event is written when MySQL returns, at the time it began: it sorts by id, like the list.
      set({ events: [event, ...events] });
    },
  };
};
