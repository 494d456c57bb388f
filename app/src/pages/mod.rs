//! The app's pages by area; each area is a folder that could be loaded on its own.

pub mod about;
pub mod admin;
pub mod account;
pub mod casework;
pub mod components;
pub mod coordination;
pub mod device;
pub mod partnership;
pub mod survey;
