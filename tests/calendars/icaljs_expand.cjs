// Expands an iCalendar feed with Mozilla's ical.js (the parser Thunderbird uses).
// Reads the feed on stdin; argv: the last day to expand to (YYYY-MM-DD, exclusive).
// Prints JSON: the calendar's name and every occurrence (uid, start and end in UTC, status, sequence).
const ICAL = require('ical.js');
const fs = require('fs');

const root = new ICAL.Component(ICAL.parse(fs.readFileSync(0, 'utf8')));
for (const zone of root.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(zone);
}
const until = ICAL.Time.fromDateString(process.argv[2]);
const series = new Map();
const overrides = [];
for (const component of root.getAllSubcomponents('vevent')) {
  const event = new ICAL.Event(component);
  if (component.hasProperty('recurrence-id')) {
    overrides.push(event);
  } else {
    series.set(event.uid, event);
  }
}
for (const override of overrides) {
  series.get(override.uid).relateException(override);
}
const occurrences = [];
const show = (uid, details) => occurrences.push({
  uid,
  start: details.startDate.toJSDate().toISOString(),
  end: details.endDate.toJSDate().toISOString(),
  status: details.item.component.getFirstPropertyValue('status'),
  sequence: details.item.sequence,
  summary: details.item.summary,
});
for (const event of series.values()) {
  if (!event.isRecurring()) {
    show(event.uid, {startDate: event.startDate, endDate: event.endDate, item: event});
    continue;
  }
  const dates = event.iterator();
  for (let next = dates.next(), n = 0; next && next.compare(until) < 0 && n < 1000; next = dates.next(), n++) {
    show(event.uid, event.getOccurrenceDetails(next));
  }
}
process.stdout.write(JSON.stringify({name: root.getFirstPropertyValue('x-wr-calname'), occurrences}));
