//! A fresh ExternalId for a new client's role: 32 characters drawn uniformly from the 62
//! ASCII letters and digits with the operating system's CSPRNG (`getrandom`), about 190
//! bits. Letters and digits only, so it is valid wherever IAM takes an ExternalId and needs
//! no quoting in a shell, a TOML file or a CloudFormation template.

/// Length of a new ExternalId (IAM allows 2 to 1,224 characters).
pub const EXTERNAL_ID_LEN: usize = 32;

const ALPHABET: &[u8; 62] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// Bytes at or above this are dropped so that each character is equally likely
/// (248 = 4 x 62).
const UNBIASED_BELOW: u8 = 248;

/// A fresh random ExternalId.
pub fn new_external_id() -> Result<String, getrandom::Error> {
    let mut id = String::with_capacity(EXTERNAL_ID_LEN);
    let mut buffer = [0u8; 64];
    while id.len() < EXTERNAL_ID_LEN {
        getrandom::fill(&mut buffer)?;
        for &byte in buffer.iter().filter(|&&b| b < UNBIASED_BELOW) {
            if id.len() == EXTERNAL_ID_LEN {
                break;
            }
            id.push(char::from(ALPHABET[usize::from(byte % 62)]));
        }
    }
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::validate;
    use std::collections::HashSet;

    #[test]
    fn ids_are_valid_distinct_and_spread_over_the_alphabet() {
        let ids: Vec<String> = (0..2000).map(|_| new_external_id().unwrap()).collect();
        assert!(ids.iter().all(|id| id.len() == EXTERNAL_ID_LEN));
        assert!(ids.iter().all(|id| validate::external_id(id).is_ok()));
        assert_eq!(ids.iter().collect::<HashSet<_>>().len(), ids.len());
        // 64,000 characters: each of the 62 expected about 1,032 times. A fair source
        // stays within 700..1400 for every one (more than 10 standard deviations).
        let mut counts = [0usize; 62];
        for c in ids.iter().flat_map(|id| id.bytes()) {
            let at = ALPHABET.iter().position(|&a| a == c).unwrap();
            counts[at] += 1;
        }
        assert!(
            counts.iter().all(|&n| (700..1400).contains(&n)),
            "{counts:?}"
        );
    }
}
