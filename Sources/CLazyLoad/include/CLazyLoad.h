// Load on first use: heavy C libraries (OpenCV through libTikconvVision, GLPK, libheif, aubio,
// libavfilter, …) are opened with dlopen the first time a stage needs them, so a plain
// conversion maps only libav* and `tikconv --version` maps nothing but the binary and its
// runtime. The binary has no DT_NEEDED entry for them (check: readelf -d tikconv).
//
// How a module works: the module's C target (e.g. Sources/CHeif) includes the library's own
// header and defines, for every function the Swift layer calls, a trampoline with the SAME
// name and prototype. The linker binds the Swift layer's calls to the trampolines, so the
// Swift code is unchanged; the first call opens the library and fills a table of function
// pointers with dlsym. The compiler checks each trampoline against the real header, so a
// wrong prototype is a build error, not a crash.
//
// RECIPE — bringing a library under the loader (see Sources/CGLPK/loader.c, the smallest):
//   1. Make the module a plain C target (not .systemLibrary, no pkgConfig/linkerSettings/
//      `link`): Sources/CFoo/include/CFoo.h includes <foo.h> and declares
//      `int tk_foo_load(char *err, size_t err_len);`, and depends on "CLazyLoad" in Package.swift.
//   2. Sources/CFoo/loader.c: the list of functions, one line each —
//        F(return type, name, (parameters with names), (argument names))   for a result,
//        V(name, (parameters with names), (argument names))               for void —
//      then TK_LAZY_DEFINE(foo, "libfoo (what it is for)", "Debian package", "TIKCONV_FOO_LIBRARY",
//      "libfoo.so.N", "libfoo.N.dylib") names the library and the files tried in order.
//   3. In the Swift owner layer: call tk_foo_load before the first use and throw the layer's
//      error (its message names the library and the package to install) when it returns non-zero.
//   Adding a function later is one F/V line. Variadic functions cannot be forwarded: give them
//   a non-variadic shim in the module first. Data symbols (globals) cannot be trampolined.
//   A C++ library: build it behind a plain C API into its own shared library (see CVisionImpl,
//   the `TikconvVision` product) and trampoline that C API here, as CVision does.
//
// A trampoline called before its library could be loaded (the Swift layer skipped step 3)
// prints the reason and aborts: that is a programming error, never a user's.
#ifndef TIKCONV_CLAZYLOAD_H
#define TIKCONV_CLAZYLOAD_H
#include <pthread.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
    const char *name;
    void **slot; // where dlsym's result goes (a function pointer of the real type)
} tk_lazy_symbol;

typedef struct {
    const char *what;      // "libheif (HEIC/HEIF photos)", for messages
    const char *package;   // what to install when it is missing
    const char *env;       // an environment variable naming the file to open instead, or NULL
    const char *const *files; // NULL-terminated; "@exe/…" is relative to the running binary's folder
    const tk_lazy_symbol *symbols;
    size_t count;
    pthread_mutex_t lock;
    int state;             // 0: not tried, 1: loaded, -1: failed (error holds why); read atomically
    void *handle;
    void (*on_load)(void); // run once the symbols are resolved, before any trampoline returns
    char error[768];
} tk_lazy_library;

/// Opens the library and resolves every symbol, once per process (thread safe). Returns 0, or -1
/// with the reason copied into `err` (NUL-terminated, at most `err_len` bytes) when not NULL.
int tk_lazy_load(tk_lazy_library *lib, char *err, size_t err_len);

/// For trampolines: loads or prints the reason and aborts.
void tk_lazy_require(tk_lazy_library *lib);

/// The address of `name` in the library, loading it first (aborting like a trampoline when it
/// cannot): for a module's C wrapper around a variadic function, which cannot be trampolined.
void *tk_lazy_symbol_address(tk_lazy_library *lib, const char *name);

/// Whether the library is loaded (without trying to load it).
static inline int tk_lazy_is_loaded(tk_lazy_library *lib) {
    return __atomic_load_n(&lib->state, __ATOMIC_ACQUIRE) == 1;
}

// ---- The per-module definitions (see the recipe above) ----------------------------------

#define TK_LAZY_SLOT_F(ret, name, params, args) static __typeof__(&name) tk_lazy_fn_##name;
#define TK_LAZY_SLOT_V(name, params, args) static __typeof__(&name) tk_lazy_fn_##name;
#define TK_LAZY_ENTRY_F(ret, name, params, args) {#name, (void **)&tk_lazy_fn_##name},
#define TK_LAZY_ENTRY_V(name, params, args) {#name, (void **)&tk_lazy_fn_##name},
#define TK_LAZY_READY                                                                    \
    if (__builtin_expect(!tk_lazy_is_loaded(&tk_lazy_this_library), 0))                  \
        tk_lazy_require(&tk_lazy_this_library);
#define TK_LAZY_TRAMPOLINE_F(ret, name, params, args) \
    ret name params { TK_LAZY_READY return tk_lazy_fn_##name args; }
#define TK_LAZY_TRAMPOLINE_V(name, params, args) \
    void name params { TK_LAZY_READY tk_lazy_fn_##name args; }

/// A module that must configure its library as soon as it is open (e.g. FFmpeg's log level)
/// `#undef`s this and defines it as the name of a `static void f(void)` before TK_LAZY_DEFINE;
/// the hook calls the library through `tk_lazy_fn_<name>` (the trampolines would wait for it).
#define TK_LAZY_ON_LOAD NULL

/// Expects TK_LAZY_FUNCTIONS(F, V) to be defined as the module's list of functions.
#define TK_LAZY_DEFINE(id, what_, package_, env_, ...)                                   \
    TK_LAZY_FUNCTIONS(TK_LAZY_SLOT_F, TK_LAZY_SLOT_V)                                    \
    static const tk_lazy_symbol tk_lazy_symbols[] = {                                    \
        TK_LAZY_FUNCTIONS(TK_LAZY_ENTRY_F, TK_LAZY_ENTRY_V)};                            \
    static const char *const tk_lazy_files[] = {__VA_ARGS__, NULL};                       \
    static tk_lazy_library tk_lazy_this_library = {                                      \
        what_, package_, env_, tk_lazy_files, tk_lazy_symbols,                            \
        sizeof(tk_lazy_symbols) / sizeof(tk_lazy_symbols[0]), PTHREAD_MUTEX_INITIALIZER,  \
        0, NULL, TK_LAZY_ON_LOAD, {0}};                                                  \
    int tk_##id##_load(char *err, size_t err_len) {                                      \
        return tk_lazy_load(&tk_lazy_this_library, err, err_len);                         \
    }                                                                                    \
    TK_LAZY_FUNCTIONS(TK_LAZY_TRAMPOLINE_F, TK_LAZY_TRAMPOLINE_V)

#ifdef __cplusplus
}
#endif
#endif
