/*
 * key_decode.c — the ANSI escape sequences of editing keys, one byte at a time.
 *
 * Sequences recognised (what xterm, the Linux console, tmux and screen send,
 * and what keyboard.c produces for PS/2 keys):
 *   ESC [ A/B/C/D   Up/Down/Right/Left    ESC O A/B/C/D  the same (cursor-key mode)
 *   ESC [ H, ESC [ F, ESC O H, ESC O F    Home, End
 *   ESC [ 1 ~ / 7 ~  Home   ESC [ 4 ~ / 8 ~  End   ESC [ 3 ~  Delete
 * Any other CSI sequence (ESC [, digits and ';', then a final byte in
 * '@'..'~') is swallowed whole as KEY_UNKNOWN, so Ctrl-Right (ESC [ 1 ; 5 C)
 * never leaves stray letters behind. ESC followed by anything else is
 * KEY_UNKNOWN too (Alt+key). OSTEP ch. 36.
 */
#include "lib/key_decode.h"

enum { STATE_NONE, STATE_ESCAPE, STATE_CSI, STATE_SS3 };

static enum key_code key_from_final(char final)
{
    switch (final) {
    case 'A':
        return KEY_UP;
    case 'B':
        return KEY_DOWN;
    case 'C':
        return KEY_RIGHT;
    case 'D':
        return KEY_LEFT;
    case 'H':
        return KEY_HOME;
    case 'F':
        return KEY_END;
    default:
        return KEY_UNKNOWN;
    }
}

static enum key_code key_from_tilde(int parameter)
{
    switch (parameter) {
    case 1:
    case 7:
        return KEY_HOME;
    case 4:
    case 8:
        return KEY_END;
    case 3:
        return KEY_DELETE;
    default:
        return KEY_UNKNOWN;
    }
}

/* Inside ESC [: parameters until the final byte. Only the first number
 * counts; after a ';' (modifiers) the key is reported without them. */
static enum key_code key_decode_csi(struct key_decoder *decoder, char byte)
{
    if (byte >= '0' && byte <= '9') {
        if (decoder->parameter >= 0 && decoder->parameter < 1000)
            decoder->parameter = decoder->parameter * 10 + (byte - '0');
        return KEY_PENDING;
    }
    if (byte == ';') {
        if (decoder->parameter == 0)
            decoder->parameter = 1;
        decoder->parameter = -decoder->parameter; /* negative: the number is complete */
        return KEY_PENDING;
    }
    if (byte >= 0x20 && byte < 0x40)
        return KEY_PENDING; /* other parameter or intermediate bytes */
    int parameter = decoder->parameter < 0 ? -decoder->parameter : decoder->parameter;
    decoder->state = STATE_NONE;
    if (byte == '~')
        return key_from_tilde(parameter);
    if (byte >= '@' && byte <= '~')
        return key_from_final(byte);
    return KEY_UNKNOWN; /* a control byte broke the sequence off */
}

enum key_code key_decode(struct key_decoder *decoder, char byte, char *c)
{
    switch (decoder->state) {
    case STATE_ESCAPE:
        decoder->parameter = 0;
        decoder->state = byte == '[' ? STATE_CSI : byte == 'O' ? STATE_SS3 : STATE_NONE;
        return decoder->state == STATE_NONE ? KEY_UNKNOWN : KEY_PENDING;
    case STATE_CSI:
        return key_decode_csi(decoder, byte);
    case STATE_SS3:
        decoder->state = STATE_NONE;
        return key_from_final(byte);
    default:
        if (byte == KEY_ESCAPE) {
            decoder->state = STATE_ESCAPE;
            return KEY_PENDING;
        }
        *c = byte;
        return KEY_CHAR;
    }
}
