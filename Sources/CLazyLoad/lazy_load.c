// The loader behind CLazyLoad.h: dlopen once, dlsym every listed symbol, remember the outcome.
#include "CLazyLoad.h"
#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef __APPLE__
#include <mach-o/dyld.h>
#endif

/// The running binary's folder (tests run from their own binary in the same build folder).
static int executable_dir(char *out, size_t len) {
    char path[PATH_MAX];
#ifdef __APPLE__
    uint32_t size = sizeof(path);
    if (_NSGetExecutablePath(path, &size) != 0) return -1;
#else
    ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
    if (n <= 0) return -1;
    path[n] = '\0';
#endif
    char *slash = strrchr(path, '/');
    if (slash == NULL) return -1;
    *slash = '\0';
    return snprintf(out, len, "%s", path) < (int)len ? 0 : -1;
}

/// dlopen of one candidate; "@exe/x" means x next to the running binary.
static void *open_file(const char *file, char *why, size_t why_len) {
    char path[PATH_MAX];
    if (strncmp(file, "@exe/", 5) == 0) {
        char dir[PATH_MAX];
        if (executable_dir(dir, sizeof(dir)) != 0 ||
            snprintf(path, sizeof(path), "%s/%s", dir, file + 5) >= (int)sizeof(path)) {
            snprintf(why, why_len, "cannot find the running binary's folder");
            return NULL;
        }
        file = path;
    }
    // RTLD_LAZY: the library's own calls (and its dependencies', e.g. libavcodec's hundred and
    // more) are bound when first made, not all at start-up; the symbols the trampolines use
    // are still all resolved, and checked, by resolve().
    void *handle = dlopen(file, RTLD_LAZY | RTLD_LOCAL);
    if (handle == NULL) {
        const char *e = dlerror();
        snprintf(why, why_len, "%s", e ? e : file);
    }
    return handle;
}

static void *open_library(tk_lazy_library *lib) {
    char why[512] = "";
    const char *forced = lib->env ? getenv(lib->env) : NULL;
    if (forced != NULL && forced[0] != '\0') {
        void *h = open_file(forced, why, sizeof(why));
        if (h == NULL)
            snprintf(lib->error, sizeof(lib->error), "%s cannot be loaded from %s=%s: %s", lib->what,
                     lib->env, forced, why);
        return h;
    }
    for (const char *const *f = lib->files; *f != NULL; f++) {
        void *h = open_file(*f, why, sizeof(why));
        if (h != NULL) return h;
    }
    // The first candidate's reason is the useful one (the later ones are fallbacks).
    open_file(lib->files[0], why, sizeof(why));
    snprintf(lib->error, sizeof(lib->error), "%s is not installed (%s); install %s", lib->what, why,
             lib->package);
    return NULL;
}

static int resolve(tk_lazy_library *lib) {
    for (size_t i = 0; i < lib->count; i++) {
        void *p = dlsym(lib->handle, lib->symbols[i].name);
        if (p == NULL) {
            snprintf(lib->error, sizeof(lib->error), "%s has no function %s (a different version?); install %s",
                     lib->what, lib->symbols[i].name, lib->package);
            return -1;
        }
        *lib->symbols[i].slot = p;
    }
    return 0;
}

int tk_lazy_load(tk_lazy_library *lib, char *err, size_t err_len) {
    if (tk_lazy_is_loaded(lib)) return 0;
    pthread_mutex_lock(&lib->lock);
    if (lib->state == 0) {
        lib->handle = open_library(lib);
        int ok = lib->handle != NULL && resolve(lib) == 0;
        if (ok && lib->on_load != NULL) lib->on_load();
        __atomic_store_n(&lib->state, ok ? 1 : -1, __ATOMIC_RELEASE);
    }
    int state = lib->state;
    pthread_mutex_unlock(&lib->lock);
    if (state == 1) return 0;
    if (err != NULL && err_len > 0) snprintf(err, err_len, "%s", lib->error);
    return -1;
}

void *tk_lazy_symbol_address(tk_lazy_library *lib, const char *name) {
    tk_lazy_require(lib);
    void *p = dlsym(lib->handle, name);
    if (p != NULL) return p;
    fprintf(stderr, "tikconv: %s has no function %s; install %s\n", lib->what, name, lib->package);
    abort();
}

void tk_lazy_require(tk_lazy_library *lib) {
    if (tk_lazy_load(lib, NULL, 0) == 0) return;
    fprintf(stderr, "tikconv: %s\n", lib->error);
    abort();
}
