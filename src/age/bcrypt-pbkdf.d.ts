// Types for the `bcrypt-pbkdf` package (OpenBSD's bcrypt_pbkdf in pure JS), which ships none.
declare module "bcrypt-pbkdf" {
  const bcryptPbkdf: {
    /** Fills `key[0..keylen)`; returns 0, or -1 on bad parameters (e.g. an empty passphrase). */
    pbkdf(
      pass: Uint8Array,
      passlen: number,
      salt: Uint8Array,
      saltlen: number,
      key: Uint8Array,
      keylen: number,
      rounds: number,
    ): number;
  };
  export default bcryptPbkdf;
}
