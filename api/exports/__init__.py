"""Files for coordinators to take away: the week as an Excel workbook (`api.exports.week`), written by
`api.exports.xlsx`. The command line (`tarjotin export --format xlsx`) and the coordinator pages
(`GET /week/export.xlsx`) both write it from the same services and labels the pages show."""
