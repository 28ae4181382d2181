/** A plain Headway-blue square: Chrome refuses a 'basic' notification without an icon, and the extension ships none yet. */
export const NOTIFICATION_ICON = 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAADAAAAAwCAYAAABXAvmHAAAARElEQVR42u3PQREAAAQAMI0EUVg7Kvi622MBFlk9n4WAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAwNUCgv26HictMKgAAAAASUVORK5CYII=';
