// Wide-character ncurses for Swift. The defines must come before <curses.h> so that the
// wide-character API (add_wch, setcchar, get_wch) is declared; the inline wrappers expose
// the macros Swift cannot import.
#ifndef VAULTWATCH_CNCURSES_SHIM_H
#define VAULTWATCH_CNCURSES_SHIM_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif

#include <locale.h>
#include <wchar.h>
#include <ncursesw/curses.h>
#include <signal.h>
#include <stdio.h>
#include <langinfo.h>
#include <string.h>

static inline int vw_color_pair(int pair) { return (int)COLOR_PAIR(pair); }
static inline int vw_pair_number(int attributes) { return (int)PAIR_NUMBER(attributes); }
static inline int vw_lines(void) { return LINES; }
static inline int vw_cols(void) { return COLS; }
static inline void vw_getmaxyx(WINDOW *window, int *rows, int *columns) {
    int y, x;
    getmaxyx(window, y, x);
    *rows = y;
    *columns = x;
}
static inline WINDOW *vw_stdscr(void) { return stdscr; }

static inline attr_t vw_a_normal(void) { return A_NORMAL; }
static inline attr_t vw_a_bold(void) { return A_BOLD; }
static inline attr_t vw_a_dim(void) { return A_DIM; }
static inline attr_t vw_a_reverse(void) { return A_REVERSE; }
static inline attr_t vw_a_underline(void) { return A_UNDERLINE; }
static inline attr_t vw_a_standout(void) { return A_STANDOUT; }
static inline attr_t vw_a_italic(void) { return A_ITALIC; }
static inline attr_t vw_a_color(void) { return A_COLOR; }

static inline int vw_key_resize(void) { return KEY_RESIZE; }
static inline int vw_key_code_yes(void) { return KEY_CODE_YES; }

/// One wide character with attributes and an extended colour pair, as `mvwadd_wch` wants it.
static inline int vw_put_wide(WINDOW *window, int y, int x, wchar_t character, attr_t attributes, int pair) {
    cchar_t cell;
    wchar_t text[2] = { character, 0 };
    if (setcchar(&cell, text, attributes, 0, &pair) != OK) return ERR;
    return mvwadd_wch(window, y, x, &cell);
}

/// What the window holds at (y, x): its character, attributes and extended colour pair.
static inline int vw_cell_at(WINDOW *window, int y, int x, wchar_t *character, attr_t *attributes, int *pair) {
    cchar_t cell;
    wchar_t text[CCHARW_MAX + 1];
    short shortPair = 0;
    if (mvwin_wch(window, y, x, &cell) == ERR) return ERR;
    if (getcchar(&cell, text, attributes, &shortPair, pair) == ERR) return ERR;
    *character = text[0];
    return OK;
}

/// Whether the locale's character set is UTF-8 (call after setlocale).
static inline int vw_locale_is_utf8(void) {
    const char *codeset = nl_langinfo(CODESET);
    return codeset != NULL && (strcmp(codeset, "UTF-8") == 0 || strcmp(codeset, "utf8") == 0);
}

/// Restores the terminal, then dies of the same signal: a crash never leaves the analyst's
/// terminal in raw mode on the alternate screen.
static inline void vw_crash_handler(int signal_number) {
    endwin();
    signal(signal_number, SIG_DFL);
    raise(signal_number);
}

static inline void vw_install_crash_handlers(void) {
    signal(SIGSEGV, vw_crash_handler);
    signal(SIGBUS, vw_crash_handler);
    signal(SIGILL, vw_crash_handler);
    signal(SIGTRAP, vw_crash_handler);
    signal(SIGABRT, vw_crash_handler);
    signal(SIGFPE, vw_crash_handler);
}

static inline void vw_remove_crash_handlers(void) {
    signal(SIGSEGV, SIG_DFL);
    signal(SIGBUS, SIG_DFL);
    signal(SIGILL, SIG_DFL);
    signal(SIGTRAP, SIG_DFL);
    signal(SIGABRT, SIG_DFL);
    signal(SIGFPE, SIG_DFL);
}

static inline int vw_key_btab(void) { return KEY_BTAB; }
static inline int vw_key_enter(void) { return KEY_ENTER; }
static inline int vw_key_up(void) { return KEY_UP; }
static inline int vw_key_down(void) { return KEY_DOWN; }
static inline int vw_key_left(void) { return KEY_LEFT; }
static inline int vw_key_right(void) { return KEY_RIGHT; }
static inline int vw_key_ppage(void) { return KEY_PPAGE; }
static inline int vw_key_npage(void) { return KEY_NPAGE; }
static inline int vw_key_home(void) { return KEY_HOME; }
static inline int vw_key_end(void) { return KEY_END; }
static inline int vw_key_backspace(void) { return KEY_BACKSPACE; }
static inline int vw_key_f0(void) { return KEY_F0; }
static inline int vw_colors(void) { return COLORS; }
static inline int vw_color_pairs(void) { return COLOR_PAIRS; }

#endif
