import GoujiStore

// Temporary: the query commands open the store file read-only in-process. The runtime replaces this
// with a client of the store service's socket (same signature).
func makeQueryExecutor(home: String) throws -> any QueryExecutor {
    try Store.openReadOnly(path: home + "/data/gouji.sqlite")
}
